using Fhirhouse.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var context = new CliContext(Console.Out, Console.Error, interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected, TimeProvider.System);
return await FhirhouseCli.RunAsync(args, context, cancel.Token);
