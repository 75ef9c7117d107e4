using Fhirhouse.Lake.Tables;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Views;
using Fhirhouse.Storage;
using Spectre.Console;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse views list|build|refresh [NAME...]</c>: the SQL-on-FHIR views materialised as Delta tables in silver
/// (<c>tables/views/NAME</c>): the default views plus the ViewDefinition JSON files of <c>--views</c>.
/// </summary>
internal static class ViewsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("views", "SQL-on-FHIR views as Delta tables: list them, build them from bronze, refresh them from its change feed.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Materialize(context, "build", "Compute views whole from the current version of every resource in bronze (views already current are left alone).", refresh: false));
        command.Subcommands.Add(Materialize(context, "refresh", "Bring views up to date from bronze's change data feed: changed resources are recomputed, deleted ones removed (a view never built is built).", refresh: true));
        return command;
    }

    private static Option<string?> ViewsFolder() => new("--views")
    {
        Description = "A folder of ViewDefinition JSON files to use besides the default views (a file with a default view's name replaces it).",
    };

    private static Command List(CliContext context)
    {
        var lake = new LakeOptionSet();
        var folder = ViewsFolder();
        var json = new Option<bool>("--json") { Description = "Print the list as JSON." };
        var command = new Command("list", "The views: name, resource type, columns, and the table version and bronze version each reflects.");
        lake.AddTo(command);
        command.Options.Add(folder);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var views = Load(parse.GetValue(folder));
            var store = (await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false)).Objects;
            var rows = new List<(string Name, string Resource, int Columns, long? Version, long? Bronze)>();
            foreach (var view in views)
            {
                var name = ViewMaterializer.NameOf(view);
                var (version, bronze) = await StateAsync(store, name, context, cancellationToken).ConfigureAwait(false);
                rows.Add((name, view.Resource, view.Columns.Count, version, bronze));
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new { name = r.Name, resource = r.Resource, columns = r.Columns, tableVersion = r.Version, bronzeVersion = r.Bronze }), Indented));
                return ExitCodes.Ok;
            }

            var grid = new Table().AddColumns("view", "resource", "cols", "table v", "bronze v");
            foreach (var r in rows)
            {
                grid.AddRow(r.Name, r.Resource, Cell(r.Columns), r.Version is { } v ? Cell(v) : "not built", r.Bronze is { } b ? Cell(b) : "-");
            }

            context.Console.Write(grid);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Materialize(CliContext context, string name, string description, bool refresh)
    {
        var lake = new LakeOptionSet();
        var folder = ViewsFolder();
        var names = new Argument<string[]>("names") { Description = "The views to process (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command(name, description);
        command.Arguments.Add(names);
        lake.AddTo(command);
        command.Options.Add(folder);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var views = Select(Load(parse.GetValue(folder)), parse.GetValue(names) ?? []);
            var store = (await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false)).Objects;
            var results = await RunAsync(context, store, views, refresh, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(results.Select(r => new
                {
                    view = r.View, kind = r.Kind.ToString().ToLowerInvariant(), bronzeVersion = r.BronzeVersion, tableVersion = r.TableVersion,
                    resources = r.Resources, rows = r.RowsWritten, resourcesReplaced = r.ResourcesReplaced, failures = r.Failures, firstFailure = r.FirstFailure,
                    valuesNulled = r.ValuesNulled, valuesNulledByColumn = r.NulledColumns.ToDictionary(c => c.Column, c => c.Values, StringComparer.Ordinal),
                }), Indented));
            }
            else
            {
                WriteText(context, results);
            }

            return results.Any(r => r.Failures > 0) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Builds or refreshes <paramref name="views"/> in the lake and reports timing on the error stream.</summary>
    public static async Task<IReadOnlyList<ViewMaterialization>> RunAsync(CliContext context, IObjectStore store, IReadOnlyList<ViewDefinition> views, bool refresh, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        var materializer = await ViewMaterializer.OpenAsync(store, new DeltaTableOptions { TimeProvider = context.Time }, cancellationToken).ConfigureAwait(false);
        var results = await context.WithProgressAsync(refresh ? "Refreshing views" : "Building views", async update =>
        {
            var gate = new object();
            var progress = new SynchronousProgress<ViewBuildProgress>(p =>
            {
                lock (gate)
                {
                    update((double)p.Evaluated / Math.Max(1, p.Total), $"Evaluating views: {p.Evaluated:N0}/{p.Total:N0} resources");
                }
            });
            return refresh
                ? await materializer.RefreshAsync(views, progress, cancellationToken).ConfigureAwait(false)
                : await materializer.BuildAsync(views, progress, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
        var resources = results.Sum(r => r.Resources);
        context.Error.WriteLine($"views: {results.Count} views, {resources} resources evaluated in {seconds:F1} s ({resources / Math.Max(seconds, 1e-3):F0} resources/s)");
        return results;
    }

    public static void WriteText(CliContext context, IReadOnlyList<ViewMaterialization> results)
    {
        foreach (var r in results)
        {
            var replaced = r.Kind == ViewMaterializationKind.Refreshed ? $", {r.ResourcesReplaced:N0} resources replaced" : "";
            var failed = r.Failures > 0 ? $", {r.Failures:N0} FAILED" : "";
            var nulled = r.ValuesNulled > 0 ? $", {r.ValuesNulled:N0} {(r.ValuesNulled == 1 ? "value" : "values")} nulled ({Columns(r)})" : "";
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.View,-20} {r.Kind.ToString().ToLowerInvariant(),-10} {r.Resources,9:N0} resources -> {r.RowsWritten,9:N0} rows (bronze v{r.BronzeVersion}, table v{r.TableVersion}{replaced}{failed}{nulled})"));
        }

        foreach (var r in results.Where(r => r.FirstFailure is not null))
        {
            context.Error.WriteLine($"views: {r.View} failed on {r.Failures} resources; first: {r.FirstFailure}");
        }

        foreach (var r in results.Where(r => r.ValuesNulled > 0))
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"views: {r.View} stored {r.ValuesNulled} values as null that do not fit their column's type (a number that overflows it, text in a number column): {Columns(r)}; their rows are kept"));
        }
    }

    /// <summary>The nulled values per column: <c>births 2, weight 1</c>.</summary>
    private static string Columns(ViewMaterialization result) =>
        string.Join(", ", result.NulledColumns.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Column} {c.Values:N0}")));

    /// <summary>
    /// The views to use; a ViewDefinition that does not compile is a <see cref="ViewDefinitionException"/> of kind usage
    /// (exit 2), naming its file and place.
    /// </summary>
    public static IReadOnlyList<ViewDefinition> Load(string? folder) => ViewCatalog.Load(folder);

    private static List<ViewDefinition> Select(IReadOnlyList<ViewDefinition> views, string[] names)
    {
        if (names.Length == 0)
        {
            return [.. views];
        }

        var byName = views.ToDictionary(ViewMaterializer.NameOf, StringComparer.Ordinal);
        return names.Select(n => byName.TryGetValue(n, out var v)
            ? v
            : throw new ArgumentException($"There is no view '{n}'; the views are {string.Join(", ", byName.Keys)}.")).ToList();
    }

    private static async Task<(long? Version, long? Bronze)> StateAsync(IObjectStore store, string name, CliContext context, CancellationToken cancellationToken)
    {
        var path = ViewTables.PathOf(name);
        if (!await Delta.DeltaTable.ExistsAsync(store, path, cancellationToken).ConfigureAwait(false))
        {
            return (null, null);
        }

        var table = await DeltaTable.OpenAsync(store, path, new DeltaTableOptions { TimeProvider = context.Time }, cancellationToken).ConfigureAwait(false);
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return (snapshot.Version, snapshot.GetTransactionVersion(DerivedTable.BronzeAppId));
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);
}
