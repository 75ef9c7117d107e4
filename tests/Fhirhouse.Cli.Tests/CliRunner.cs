namespace Fhirhouse.Cli.Tests;

/// <summary>Runs the fhirhouse command in-process, as a script would (not a terminal), and captures its output.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, interactive: false, TimeProvider.System);
        var exit = await FhirhouseCli.RunAsync(args, context);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Fails the test unless <paramref name="run"/> exited 0, with what the command said on standard error.</summary>
    public static void AssertOk((int Exit, string Out, string Error) run) =>
        Xunit.Assert.True(run.Exit == ExitCodes.Ok, $"exit {run.Exit}: {run.Error}");

    /// <summary>Runs the fhirhouse command as its own process with <paramref name="environment"/> added (process-wide settings stay out of the test host).</summary>
    public static async Task<(int Exit, string Out, string Error)> RunProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "fhirhouse.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Starts the fhirhouse command as its own process (to be killed by a crash test), output redirected.</summary>
    public static System.Diagnostics.Process StartProcess(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "fhirhouse.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return System.Diagnostics.Process.Start(start)!;
    }
}
