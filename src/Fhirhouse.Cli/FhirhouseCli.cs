using System.CommandLine;
using Fhirhouse.Cli.Commands;

namespace Fhirhouse.Cli;

/// <summary>
/// The fhirhouse command line. Exceptions become exit codes here and only here: bad usage (a parse error or an
/// <see cref="ArgumentException"/> from option validation) is 2, any other failure is 1.
/// </summary>
internal static class FhirhouseCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "Fhirhouse: a clinical lakehouse. Collects FHIR, keeps it encrypted, makes it queryable.\n" +
            "Exit codes: 0 ok, 1 failure, 2 bad usage.");
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(IngestCommand.Create(context));
        root.Subcommands.Add(TableCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(LakeCommand.Create(context));
        root.Subcommands.Add(ViewsCommand.Create(context));
        root.Subcommands.Add(SqlCommand.Create(context));
        root.Subcommands.Add(AuditCommand.Create(context));
        root.Subcommands.Add(ForgetCommand.Create(context));
        root.Subcommands.Add(ResearchExportCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'fhirhouse --help' (or the command with --help) for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("cancelled.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException
            or Delta.CommitConflictException or Delta.DeltaProtocolException or Delta.DeltaTableNotFoundException or Delta.UnsupportedTableFeatureException)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
