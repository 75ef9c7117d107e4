using Fhirhouse.Lake;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Query.Tables;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Spectre.Console;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse table history|describe|files|vacuum TABLE</c>: look at a Delta table. TABLE is a folder holding a Delta
/// table (any Delta table, e.g. written by Spark), or the name of a lake table (<c>fhir_resources</c>, or a path such
/// as <c>tables/quarantine</c>) read through the encrypted lake.
/// </summary>
internal static class TableCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("table", "Look at a Delta table: its history, schema and size, its files; vacuum old files.");
        command.Subcommands.Add(History(context));
        command.Subcommands.Add(Describe(context));
        command.Subcommands.Add(Files(context));
        command.Subcommands.Add(Vacuum(context));
        return command;
    }

    private static (Command Command, Argument<string> Table, LakeOptionSet Lake, Option<bool> Json) Base(string name, string description)
    {
        var table = new Argument<string>("table") { Description = "A folder holding a Delta table, or a lake table by name (bronze.fhir_resources, views.patient, or a short name only one table has: fhir_resources, patient), or a path under the lake (tables/quarantine)." };
        var lake = new LakeOptionSet();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command(name, description);
        command.Arguments.Add(table);
        lake.AddTo(command);
        command.Options.Add(json);
        return (command, table, lake, json);
    }

    private static async Task<DeltaTable> OpenAsync(string table, ParseResult parse, LakeOptionSet lake, CliContext context, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(table);
        if (Path.GetDirectoryName(folder) is { } parent && Directory.Exists(folder)
            && await DeltaTable.ExistsAsync(new LocalObjectStore(parent), Path.GetFileName(folder), cancellationToken).ConfigureAwait(false))
        {
            return await DeltaTable.OpenAsync(new LocalObjectStore(parent), Path.GetFileName(folder), new DeltaTableOptions { TimeProvider = context.Time }, cancellationToken).ConfigureAwait(false);
        }

        IObjectStore store = (await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false)).Objects;
        var path = table.Contains('/', StringComparison.Ordinal) ? table.TrimEnd('/') : await PathOfAsync(store, table, cancellationToken).ConfigureAwait(false);
        return await DeltaTable.OpenAsync(store, path, new DeltaTableOptions { TimeProvider = context.Time }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The folder of the lake table named <paramref name="name"/> (<c>zone.table</c>, or a short name only one table has).</summary>
    private static async Task<string> PathOfAsync(IObjectStore store, string name, CancellationToken cancellationToken) =>
        (await LakeTables.Catalog(store).ResolveAsync(name, cancellationToken).ConfigureAwait(false))?.Path
            ?? throw new ArgumentException($"The lake holds no table named '{name}' (see 'fhirhouse sql' and its .tables for the names).");

    private static Command History(CliContext context)
    {
        var (command, table, lake, json) = Base("history", "Every version of the table: when, which operation, files added and removed.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var delta = await OpenAsync(parse.GetValue(table)!, parse, lake, context, cancellationToken).ConfigureAwait(false);
            var history = await delta.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(history.Select(h => new { version = h.Version, timestamp = h.Timestamp, operation = h.Operation, filesAdded = h.FilesAdded, filesRemoved = h.FilesRemoved }), Indented));
                return ExitCodes.Ok;
            }

            var grid = new Table().AddColumns("version", "timestamp (UTC)", "operation", "files added", "files removed");
            foreach (var h in history)
            {
                grid.AddRow(Cell(h.Version), h.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(h.Operation ?? "-"), Cell(h.FilesAdded), Cell(h.FilesRemoved));
            }

            context.Console.Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Describe(CliContext context)
    {
        var (command, table, lake, json) = Base("describe", "The table at its latest version: schema, partitioning, protocol, properties, files, rows and size.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var delta = await OpenAsync(parse.GetValue(table)!, parse, lake, context, cancellationToken).ConfigureAwait(false);
            var snapshot = await delta.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var rows = snapshot.CountFromStatistics();
            var size = snapshot.Files.Sum(f => f.Size);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    path = delta.Path,
                    version = snapshot.Version,
                    timestamp = snapshot.Timestamp,
                    minReaderVersion = snapshot.Protocol.MinReaderVersion,
                    minWriterVersion = snapshot.Protocol.MinWriterVersion,
                    partitionColumns = snapshot.PartitionColumns,
                    columns = snapshot.Schema.Fields.Select(f => new { name = f.Name, type = f.Type.ToString(), nullable = f.Nullable }),
                    properties = snapshot.Metadata.Configuration,
                    files = snapshot.Files.Count,
                    rows,
                    bytes = size,
                }, Indented));
                return ExitCodes.Ok;
            }

            context.Out.WriteLine($"table {delta.Path} at version {snapshot.Version} ({snapshot.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)");
            context.Out.WriteLine($"protocol: reader {snapshot.Protocol.MinReaderVersion}, writer {snapshot.Protocol.MinWriterVersion}");
            context.Out.WriteLine($"partitioned by: {(snapshot.PartitionColumns.Count == 0 ? "(none)" : string.Join(", ", snapshot.PartitionColumns))}");
            context.Out.WriteLine($"files: {snapshot.Files.Count}, rows: {(rows is null ? "unknown (no statistics)" : rows.Value.ToString("N0", CultureInfo.InvariantCulture))}, size: {size:N0} bytes");
            foreach (var (key, value) in snapshot.Metadata.Configuration)
            {
                context.Out.WriteLine($"property {key} = {value}");
            }

            var grid = new Table().AddColumns("column", "type", "nullable");
            foreach (var f in snapshot.Schema.Fields)
            {
                grid.AddRow(Markup.Escape(f.Name), Markup.Escape(f.Type.ToString() ?? string.Empty), f.Nullable ? "yes" : "no");
            }

            context.Console.Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Files(CliContext context)
    {
        var (command, table, lake, json) = Base("files", "The data files of the latest version: path, partition values, size, rows.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var delta = await OpenAsync(parse.GetValue(table)!, parse, lake, context, cancellationToken).ConfigureAwait(false);
            var snapshot = await delta.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var files = snapshot.Files.OrderBy(f => f.Path, StringComparer.Ordinal)
                .Select(f => new { path = f.Path, partition = string.Join(",", f.PartitionValues.Select(kv => $"{kv.Key}={kv.Value}")), size = f.Size, rows = f.NumRecords })
                .ToList();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(files, Indented));
                return ExitCodes.Ok;
            }

            foreach (var f in files)
            {
                context.Out.WriteLine($"{f.path}\t{f.partition}\t{f.size}\t{f.rows?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Vacuum(CliContext context)
    {
        var (command, table, lake, json) = Base("vacuum", "Delete data files no longer referenced by versions younger than the retention (7 days by default).");
        var retain = new Option<double>("--retain-hours") { Description = "Keep files needed by versions younger than this (default 168 hours; less is refused unless --force).", DefaultValueFactory = _ => 168 };
        var force = new Option<bool>("--force") { Description = "Allow a retention under 7 days (breaks time travel and concurrent readers older than it)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be deleted." };
        command.Options.Add(retain);
        command.Options.Add(force);
        command.Options.Add(dryRun);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var delta = await OpenAsync(parse.GetValue(table)!, parse, lake, context, cancellationToken).ConfigureAwait(false);
            var result = await delta.VacuumAsync(TimeSpan.FromHours(parse.GetValue(retain)), parse.GetValue(force), parse.GetValue(dryRun), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { dryRun = result.DryRun, deleted = result.DeletedKeys }, Indented));
                return ExitCodes.Ok;
            }

            foreach (var key in result.DeletedKeys)
            {
                context.Out.WriteLine(key);
            }

            context.Out.WriteLine($"{(result.DryRun ? "would delete" : "deleted")} {result.DeletedKeys.Count} files");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);
}
