using Fhirhouse.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// SIGTERM (a service manager, a container stop) stops long-running commands as Ctrl+C does: `serve` shuts down gracefully.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancel.Cancel();
});

var context = new CliContext(Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected, TimeProvider.System);
return await FhirhouseCli.RunAsync(args, context, cancel.Token);
