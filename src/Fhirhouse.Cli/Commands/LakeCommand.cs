using System.CommandLine;

namespace Fhirhouse.Cli.Commands;

/// <summary><c>fhirhouse lake verify</c>: reads every object end to end and reports tampered or unreadable ones by key.</summary>
internal static class LakeCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("lake", "Check the lake itself.");
        var lake = new LakeOptionSet();
        var verify = new Command("verify", "Read every object of the lake end to end; report tampered, unreadable or key-less objects by path. Exit 1 when any is found.");
        lake.AddTo(verify);
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var result = await Fhirhouse.Storage.Lake.LakeVerifier.VerifyAsync(store, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var problem in result.Problems)
            {
                context.Out.WriteLine($"{problem.Kind}: {problem.Key}: {problem.Message}");
            }

            context.Out.WriteLine($"{result.ObjectsChecked} objects ({result.BytesChecked:N0} bytes) checked, {result.Problems.Count} problems");
            return result.IsClean ? ExitCodes.Ok : ExitCodes.Failure;
        });
        command.Subcommands.Add(verify);
        return command;
    }
}
