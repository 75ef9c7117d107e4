using Fhirhouse.Errors;
using Fhirhouse.Query;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// The SQL shell: reads statements ending with ';' (a line may hold the end of one), runs each, prints its result or
/// its error and goes on. Dot commands: <c>.tables</c>, <c>.history</c>, <c>.help</c>, <c>.quit</c>. At a terminal it
/// prompts and keeps a history (in memory and in the lake, encrypted with it: <see cref="ShellHistory"/>); reading a pipe it runs
/// every statement and ends at the end of input, with exit code 1 when one failed.
/// </summary>
internal sealed class SqlShell(CliContext context, QueryEngine engine, string format, AsOf? asOf, ShellHistory? stored)
{
    private readonly List<string> _history = [];

    public IReadOnlyList<string> History => _history;

    public async Task<int> RunAsync(TextReader input, bool interactive, CancellationToken cancellationToken)
    {
        if (interactive)
        {
            if (stored is not null)
            {
                _history.AddRange(await stored.LoadAsync(cancellationToken).ConfigureAwait(false));
            }
            context.Out.WriteLine("Fhirhouse SQL (DuckDB) over the lake. End statements with ';'. .tables, .history, .help, .quit");
        }

        var failed = false;
        var statement = new System.Text.StringBuilder();
        while (true)
        {
            if (interactive)
            {
                context.Out.Write(statement.Length == 0 ? "fhirhouse> " : "      ...> ");
                context.Out.Flush();
            }

            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                break;
            }

            if (statement.Length == 0 && line.TrimStart().StartsWith('.'))
            {
                if (!await DotCommandAsync(line.Trim(), cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            statement.AppendLine(line);
            if (!line.TrimEnd().EndsWith(';'))
            {
                continue;
            }

            failed |= !await RunStatementAsync(statement.ToString(), interactive, cancellationToken).ConfigureAwait(false);
            statement.Clear();
        }

        if (statement.ToString().Trim().Length > 0)
        {
            failed |= !await RunStatementAsync(statement.ToString(), interactive, cancellationToken).ConfigureAwait(false);
        }

        return failed && !interactive ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private async Task<bool> RunStatementAsync(string text, bool interactive, CancellationToken cancellationToken)
    {
        var sql = text.Trim();
        if (interactive)
        {
            await RememberAsync(sql, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await SqlCommand.RunOneAsync(context, engine, sql, format, null, asOf, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is FhirhouseException or ArgumentException or InvalidOperationException)
        {
            // The statement failed, the shell goes on: the same one line as the command would say.
            await context.Error.WriteLineAsync(FhirhouseCli.Describe(e).Message).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Runs a dot command; false to leave the shell.</summary>
    private async Task<bool> DotCommandAsync(string command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case ".quit" or ".exit":
                return false;
            case ".tables":
                foreach (var table in await engine.ListTablesAsync(cancellationToken).ConfigureAwait(false))
                {
                    context.Out.WriteLine($"{table.Name}\t{table.Path}");
                }

                return true;
            case ".history":
                for (var i = 0; i < _history.Count; i++)
                {
                    context.Out.WriteLine($"{i + 1,5}  {_history[i].ReplaceLineEndings(" ")}");
                }

                return true;
            default:
                context.Out.WriteLine("Statements end with ';'. Time travel: FROM patient AT (VERSION => 3) or AT (TIMESTAMP => '2026-11-28T10:00:00Z').");
                context.Out.WriteLine(".tables  the lake's tables   .history  statements of this and earlier sessions   .quit  leave");
                return true;
        }
    }

    private async Task RememberAsync(string sql, CancellationToken cancellationToken)
    {
        _history.Add(sql);
        if (stored is not null)
        {
            await stored.SaveAsync(_history, cancellationToken).ConfigureAwait(false);
        }
    }
}
