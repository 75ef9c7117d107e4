using System.CommandLine;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Query;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse sql ["SELECT ..."]</c>: read-only SQL over the lake's tables (bronze <c>fhir_resources</c>,
/// <c>fhir_current</c>, the views, gold tables) with embedded DuckDB. Without a query it opens a shell (history kept in
/// memory and, encrypted, in the lake: <see cref="ShellHistory"/>); when standard input is not a terminal it runs the statements read from it.
/// Every statement reads as <c>--role</c>/<c>--purpose</c> through the policies and is written to the audit log first.
/// </summary>
internal static class SqlCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var query = new Argument<string?>("query") { Description = "The SQL statement (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE). Without it: a shell, or the statements on standard input.", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--format", "-f") { Description = "table, csv, json or parquet (parquet needs --out).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json", "parquet");
        var output = new Option<string?>("--out", "-o") { Description = "File to write a parquet result to (plaintext: an export out of the encrypted lake)." };
        var asOf = new Option<string?>("--as-of") { Description = "Read every table at a version (3) or a time (2026-11-28T10:00:00Z); per table in SQL: patient AT (VERSION => 3)." };
        var history = new Option<string>("--history")
        {
            Description = "Where the shell keeps its history: 'lake' (encrypted in the lake, per user, cleared by forget when it names the patient) or 'none' (this session's memory only).",
            DefaultValueFactory = _ => "lake",
        };
        history.AcceptOnlyFromAmong("lake", "none");
        var command = new Command("sql", "Run read-only SQL over the lake's Delta tables (DuckDB), or open a SQL shell.");
        command.Arguments.Add(query);
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(asOf);
        command.Options.Add(history);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(format)!;
            var target = parse.GetValue(output);
            if (chosen == "parquet" && target is null)
            {
                throw new ArgumentException("--format parquet writes a file: give it with --out FILE.");
            }

            var point = parse.GetValue(asOf) is { } text ? AsOf.Parse(text) : (AsOf?)null;
            var identity = governance.Identity(parse);
            var opened = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var policies = await governance.LoadPoliciesAsync(parse, opened, identity, context, cancellationToken).ConfigureAwait(false);
            var sql = parse.GetValue(query);
            using var engine = await GovernanceOptionSet.EngineAsync(opened, parse.GetValue(lake.Keyring)!, policies, identity,
                sql is null ? EntryPoints.Shell : EntryPoints.CliSql, context, cancellationToken).ConfigureAwait(false);
            if (sql is not null)
            {
                await RunOneAsync(context, engine, sql, chosen, target, point, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var shell = new SqlShell(context, engine, chosen, point, parse.GetValue(history) == "lake" ? ShellHistory.Of(opened.Objects, identity.User) : null);
            return await shell.RunAsync(Console.In, interactive: !Console.IsInputRedirected, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task RunOneAsync(CliContext context, QueryEngine engine, string sql, string format, string? target, AsOf? asOf, CancellationToken cancellationToken)
    {
        if (format == "parquet")
        {
            var rows = await engine.ExportParquetAsync(sql, target!, asOf, cancellationToken).ConfigureAwait(false);
            context.Error.WriteLine($"sql: {rows} rows written to {Path.GetFullPath(target!)}");
            return;
        }

        var started = context.Time.GetTimestamp();
        var result = await engine.ExecuteAsync(sql, asOf, cancellationToken).ConfigureAwait(false);
        QueryOutput.Write(context, result, format);
        var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
        foreach (var scan in result.Tables)
        {
            // How many files pruning kept is a plan detail: it would tell of masked values or of rows a filter hides.
            context.Error.WriteLine(scan.Restricted
                ? $"sql: {scan.Name} = {scan.Path} version {scan.Version} (read through masks or a row filter)"
                : $"sql: {scan.Name} = {scan.Path} version {scan.Version}, {scan.FilesRead} of {scan.Files} files read");
        }

        context.Error.WriteLine($"sql: {result.Rows.Count} rows in {seconds:F3} s");
    }
}
