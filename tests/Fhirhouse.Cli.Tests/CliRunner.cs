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
}
