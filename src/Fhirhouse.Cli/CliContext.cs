using Spectre.Console;

namespace Fhirhouse.Cli;

/// <summary>Where a command writes (result to <see cref="Out"/>, diagnostics to <see cref="Error"/>) and whether it may draw progress.</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive, TimeProvider time)
    {
        Out = output;
        Error = error;
        Interactive = interactive;
        Time = time;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>True when standard output is a terminal: progress bars and colours are drawn only then.</summary>
    public bool Interactive { get; }

    public TimeProvider Time { get; }

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables and progress.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Runs asynchronous <paramref name="work"/> with a progress bar when interactive, silently otherwise.</summary>
    public async Task<T> WithProgressAsync<T>(string description, Func<Action<double, string>, Task<T>> work)
    {
        if (!Interactive)
        {
            return await work(static (_, _) => { }).ConfigureAwait(false);
        }

        return await Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(description, maxValue: 1.0);
                return await work((fraction, text) =>
                {
                    task.Value = fraction;
                    task.Description = text;
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar when interactive, silently otherwise.</summary>
    public T WithProgress<T>(string description, Func<Action<double, string>, T> work)
    {
        if (!Interactive)
        {
            return work(static (_, _) => { });
        }

        return Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: 1.0);
                return work((fraction, text) =>
                {
                    task.Value = fraction;
                    task.Description = text;
                });
            });
    }
}
