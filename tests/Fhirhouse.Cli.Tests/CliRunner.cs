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
