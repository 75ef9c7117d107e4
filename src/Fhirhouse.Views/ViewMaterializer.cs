using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Views;

/// <summary>
/// Materialises ViewDefinitions as Delta tables in silver (<c>tables/views/NAME</c>), one row per view row plus
/// <c>_resource_key</c> ("Type/id"). <see cref="BuildAsync"/> computes a view from the current version of every
/// resource in bronze (deleted ones excluded); <see cref="RefreshAsync"/> keeps it current from bronze's change data
/// feed, recomputing only the resources that changed and replacing their rows (updates and deletes reach the view).
/// Each view table records the bronze version it reflects as the Delta transaction (appId "bronze", version), in the
/// same commit as the rows (a build, and a refresh, is one commit), so a refresh is exactly-once.
/// </summary>
public sealed class ViewMaterializer
{
    private readonly IObjectStore _store;
    private readonly DeltaTableOptions _options;
    private readonly BronzeTable _bronze;

    private ViewMaterializer(IObjectStore store, DeltaTableOptions options, BronzeTable bronze)
    {
        _store = store;
        _options = options;
        _bronze = bronze;
    }

    /// <summary>A materialiser over the lake's store (bronze is created empty when missing).</summary>
    public static async Task<ViewMaterializer> OpenAsync(IObjectStore lake, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        options ??= new DeltaTableOptions();
        return new ViewMaterializer(lake, options, await BronzeTable.OpenAsync(lake, options, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Computes each view whole from the current versions in bronze at its latest version; a view already at that
    /// version is left as it is.
    /// </summary>
    public Task<IReadOnlyList<ViewMaterialization>> BuildAsync(IReadOnlyList<ViewDefinition> views, CancellationToken cancellationToken = default) =>
        BuildAsync(views, null, cancellationToken);

    /// <summary>
    /// Computes each view whole (see <see cref="BuildAsync(IReadOnlyList{ViewDefinition}, CancellationToken)"/>),
    /// reporting the resources evaluated as pieces of bronze are done (from worker threads).
    /// </summary>
    public async Task<IReadOnlyList<ViewMaterialization>> BuildAsync(
        IReadOnlyList<ViewDefinition> views, IProgress<ViewBuildProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(views);
        var bronzeVersion = (await _bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
        var tables = new List<(ViewDefinition View, DeltaTable Table)>();
        foreach (var view in views)
        {
            tables.Add((view, await OpenViewAsync(view, cancellationToken).ConfigureAwait(false)));
        }

        var pending = new List<(ViewDefinition View, DeltaTable Table)>();
        var results = new List<ViewMaterialization>();
        foreach (var (view, table) in tables)
        {
            var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (snapshot.GetTransactionVersion(DerivedTable.BronzeAppId) >= bronzeVersion)
            {
                results.Add(new ViewMaterialization(NameOf(view), table.Path, ViewMaterializationKind.UpToDate, bronzeVersion, snapshot.Version, 0, 0, 0, 0, null, []));
            }
            else
            {
                pending.Add((view, table));
            }
        }

        var bronze = await _bronze.Table.GetSnapshotAsync(bronzeVersion, cancellationToken).ConfigureAwait(false);
        var current = await BronzeScan.ReadCurrentAsync(_bronze.Table, bronze, cancellationToken: cancellationToken).ConfigureAwait(false);
        var versions = await CurrentVersionsTable.OpenAsync(_store, _options, cancellationToken).ConfigureAwait(false);
        // fhir_current is rewritten while the views are evaluated (it needs only the map of current rows).
        var currentWrite = Task.Run(() => versions.WriteAsync(current.Values.Select(c => c.Row), bronzeVersion, cancellationToken), cancellationToken);
        var tableOf = pending.ToDictionary(p => p.View, p => p.Table);
        Dictionary<ViewDefinition, Written> written;
        try
        {
            written = await EvaluateAsync(tableOf, _bronze.Table, bronze, current, progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await currentWrite.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        // Each view's pieces are already written: one commit per view replaces its files with them.
        var writes = pending.Select(p => Task.Run(async () =>
        {
            var piece = written[p.View];
            var commit = await p.Table.OverwriteFilesAsync(piece.Files, new AppTransaction(DerivedTable.BronzeAppId, bronzeVersion), cancellationToken).ConfigureAwait(false);
            return new ViewMaterialization(NameOf(p.View), p.Table.Path, ViewMaterializationKind.Built, bronzeVersion, commit.Version,
                piece.Resources, piece.Rows, piece.Resources, piece.Failures, piece.FirstFailure, piece.NulledColumns);
        }, cancellationToken)).ToList();
        await currentWrite.ConfigureAwait(false);
        results.AddRange(await Task.WhenAll(writes).ConfigureAwait(false));
        return Order(results, views);
    }

    /// <summary>
    /// Brings each view up to the latest bronze version: a view never built is built; otherwise the resources of its
    /// type changed since the bronze version it reflects are recomputed from their current version and their rows
    /// replaced (a deleted resource's rows removed).
    /// </summary>
    public Task<IReadOnlyList<ViewMaterialization>> RefreshAsync(IReadOnlyList<ViewDefinition> views, CancellationToken cancellationToken = default) =>
        RefreshAsync(views, null, cancellationToken);

    /// <summary>
    /// Brings each view up to the latest bronze version (see <see cref="RefreshAsync(IReadOnlyList{ViewDefinition}, CancellationToken)"/>),
    /// reporting the progress of the views it has to build.
    /// </summary>
    public async Task<IReadOnlyList<ViewMaterialization>> RefreshAsync(
        IReadOnlyList<ViewDefinition> views, IProgress<ViewBuildProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(views);
        var results = new List<ViewMaterialization>();
        var unbuilt = new List<ViewDefinition>();
        var built = new List<(ViewDefinition View, DeltaTable Table, long Applied)>();
        foreach (var view in views)
        {
            var table = await OpenViewAsync(view, cancellationToken).ConfigureAwait(false);
            var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (snapshot.GetTransactionVersion(DerivedTable.BronzeAppId) is { } applied)
            {
                built.Add((view, table, applied));
            }
            else
            {
                unbuilt.Add(view);
            }
        }

        if (unbuilt.Count > 0 || !await DeltaTable.ExistsAsync(_store, ViewTables.CurrentVersions, cancellationToken).ConfigureAwait(false))
        {
            results.AddRange(await BuildAsync(unbuilt.Count > 0 ? unbuilt : [], progress, cancellationToken).ConfigureAwait(false));
        }

        var bronzeVersion = await CatchUpCurrentVersionsAsync(cancellationToken).ConfigureAwait(false);
        var current = (Dictionary<string, BronzeRow>?)null;
        var stale = built.Where(b => b.Applied < bronzeVersion).ToList();
        foreach (var (view, table, applied) in built.Where(b => b.Applied >= bronzeVersion))
        {
            var version = (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
            results.Add(new ViewMaterialization(NameOf(view), table.Path, ViewMaterializationKind.UpToDate, applied, version, 0, 0, 0, 0, null, []));
        }

        if (stale.Count > 0)
        {
            var versions = await CurrentVersionsTable.OpenAsync(_store, _options, cancellationToken).ConfigureAwait(false);
            current = await versions.ReadAsync(cancellationToken).ConfigureAwait(false);
            var types = stale.Select(s => s.View.Resource).ToHashSet(StringComparer.Ordinal);
            var changes = new List<(BronzeRow Row, long CommitVersion)>();
            await foreach (var change in _bronze.Table.ReadChangesAsync(stale.Min(s => s.Applied) + 1, bronzeVersion, cancellationToken).ConfigureAwait(false))
            {
                var changeType = (string)change[BronzeTable.Schema.Fields.Count]!;
                var row = BronzeRow.FromValues(change);
                if (changeType is "insert" or "update_postimage" && types.Contains(row.ResourceType))
                {
                    changes.Add((row, (long)change[BronzeTable.Schema.Fields.Count + 1]!));
                }
            }

            foreach (var (view, table, applied) in stale)
            {
                results.Add(await RefreshViewAsync(view, table, applied, bronzeVersion, changes, current, cancellationToken).ConfigureAwait(false));
            }
        }

        return Order(results, views);
    }

    private async Task<ViewMaterialization> RefreshViewAsync(
        ViewDefinition view, DeltaTable table, long applied, long bronzeVersion, List<(BronzeRow Row, long CommitVersion)> changes,
        Dictionary<string, BronzeRow> current, CancellationToken cancellationToken)
    {
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var recompute = new List<BronzeRow>();
        foreach (var (row, commitVersion) in changes)
        {
            if (commitVersion <= applied || !string.Equals(row.ResourceType, view.Resource, StringComparison.Ordinal))
            {
                continue;
            }

            var key = row.ResourceType + "/" + row.Id;
            if (!current.TryGetValue(key, out var now) || !CurrentVersionsTable.SameRow(now, row) || !replaced.Add(key))
            {
                // An older version arriving late: the view already shows the current one.
                continue;
            }

            if (!row.Deleted && row.Resource is not null)
            {
                recompute.Add(row);
            }
        }

        using var evaluation = Evaluate(view, recompute);

        // One commit: the rows of the changed resources go and their new rows come, so a reader never sees them missing.
        var commit = await table.ReplaceWhereAsync(
            RowPredicate.In(DerivedTable.ResourceKeyColumn, replaced),
            async token => evaluation.Rows.Count > 0 ? [await table.WriteColumnsAsync(evaluation.Rows, cancellationToken: token).ConfigureAwait(false)] : [],
            new AppTransaction(DerivedTable.BronzeAppId, bronzeVersion), cancellationToken).ConfigureAwait(false);
        return new ViewMaterialization(NameOf(view), table.Path, ViewMaterializationKind.Refreshed, bronzeVersion, commit.Version,
            recompute.Count, evaluation.Rows.Count, replaced.Count, evaluation.Failures, evaluation.FirstFailure, evaluation.NulledColumns);
    }

    /// <summary>Brings <c>fhir_current</c> up to the latest bronze version from the change data feed; returns that version.</summary>
    private async Task<long> CatchUpCurrentVersionsAsync(CancellationToken cancellationToken)
    {
        var bronzeVersion = (await _bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
        var versions = await CurrentVersionsTable.OpenAsync(_store, _options, cancellationToken).ConfigureAwait(false);
        var snapshot = await versions.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var applied = snapshot.GetTransactionVersion(DerivedTable.BronzeAppId) ?? -1;
        if (applied >= bronzeVersion)
        {
            return applied;
        }

        var current = await versions.ReadAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var change in _bronze.Table.ReadChangesAsync(applied + 1, bronzeVersion, cancellationToken).ConfigureAwait(false))
        {
            if ((string)change[BronzeTable.Schema.Fields.Count]! is not ("insert" or "update_postimage"))
            {
                continue;
            }

            var row = BronzeRow.FromValues(change) with { Resource = null, Source = "", PatientId = null, ContentHash = null };
            var key = row.ResourceType + "/" + row.Id;
            if (!current.TryGetValue(key, out var seen) || BronzeTable.IsNewer(row, seen))
            {
                current[key] = row;
            }
        }

        await versions.WriteAsync(current.Values, bronzeVersion, cancellationToken).ConfigureAwait(false);
        return bronzeVersion;
    }

    private async Task<DeltaTable> OpenViewAsync(ViewDefinition view, CancellationToken cancellationToken)
    {
        var name = NameOf(view);
        var schema = ViewSchema.Of(view);
        var table = await ViewTables.Definition(name, schema).OpenOrCreateAsync(_store, _options, cancellationToken).ConfigureAwait(false);
        var existing = (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Schema;
        if (!existing.Equals(schema))
        {
            throw new InvalidOperationException(
                $"View '{name}': its columns changed ({existing} in {table.Path}, {schema} now); remove {table.Path} from the lake to rebuild it under its new columns.");
        }

        return table;
    }

    /// <summary>
    /// Evaluates views over the current resources of a bronze snapshot, piece by piece (a bronze file, or half of a large
    /// one; two pieces at a time), each resource's JSON read from Parquet and parsed once for all the views of its type,
    /// and writes each piece's rows at once as data files of its view (not yet committed): memory holds the rows of the
    /// pieces being evaluated, whatever the size of the lake.
    /// </summary>
    private static async Task<Dictionary<ViewDefinition, Written>> EvaluateAsync(
        IReadOnlyDictionary<ViewDefinition, DeltaTable> tables, DeltaTable bronzeTable, Delta.Snapshot bronze,
        Dictionary<string, (BronzeRow Row, BronzeScan.Location At)> current, IProgress<ViewBuildProgress>? progress, CancellationToken cancellationToken)
    {
        var byType = tables.Keys.GroupBy(v => v.Resource, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byFile = new SortedDictionary<int, Dictionary<long, string>>();
        foreach (var (key, (row, at)) in current)
        {
            if (!row.Deleted && byType.ContainsKey(row.ResourceType))
            {
                if (!byFile.TryGetValue(at.File, out var rows))
                {
                    byFile[at.File] = rows = [];
                }

                rows[at.Row] = key;
            }
        }

        var pieces = new List<KeyValuePair<int, Dictionary<long, string>>>();
        foreach (var (file, rows) in byFile)
        {
            if (rows.Count < 4096)
            {
                pieces.Add(new(file, rows));
                continue;
            }

            var median = rows.Keys.Order().ElementAt(rows.Count / 2);
            pieces.Add(new(file, rows.Where(r => r.Key < median).ToDictionary()));
            pieces.Add(new(file, rows.Where(r => r.Key >= median).ToDictionary()));
        }

        var perPiece = new Written[pieces.Count][];
        var total = pieces.Sum(p => (long)p.Value.Count);
        var evaluated = 0L;
        progress?.Report(new ViewBuildProgress(0, total));
        // A worker's evaluators and column batches are reused from piece to piece (their memory with them).
        var idle = tables.Keys.ToDictionary(v => v, _ => new ConcurrentBag<ViewRun>());
        try
        {
            await Parallel.ForAsync(0, pieces.Count, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (i, token) =>
            {
                var file = bronze.Files[pieces[i].Key];
                var pieceViews = byType[file.PartitionValues["resource_type"]!];
                var runs = pieceViews.Select(v => idle[v].TryTake(out var run) ? run : new ViewRun(v)).ToList();
                await BronzeScan.ReadResourcesAsync(bronzeTable, file, pieces[i].Value, (key, resource) =>
                {
                    foreach (var run in runs)
                    {
                        run.Add(key, resource);
                    }
                }, token).ConfigureAwait(false);

                perPiece[i] = new Written[pieceViews.Count];
                for (var v = 0; v < pieceViews.Count; v++)
                {
                    var run = runs[v];
                    List<DataFile> files = run.Rows.Count > 0 ? [await tables[pieceViews[v]].WriteColumnsAsync(run.Rows, cancellationToken: token).ConfigureAwait(false)] : [];
                    perPiece[i][v] = new Written(files, pieces[i].Value.Count, run.Rows.Count, run.Failures, run.FirstFailure, run.NulledColumns);
                    run.Clear();
                    idle[pieceViews[v]].Add(run);
                }

                progress?.Report(new ViewBuildProgress(Interlocked.Add(ref evaluated, pieces[i].Value.Count), total));
            }).ConfigureAwait(false);
        }
        finally
        {
            foreach (var run in idle.Values.SelectMany(b => b))
            {
                run.Dispose();
            }
        }

        var result = tables.Keys.ToDictionary(v => v, _ => new Written([], 0, 0, 0, null, []));
        for (var i = 0; i < pieces.Count; i++)
        {
            var pieceViews = byType[bronze.Files[pieces[i].Key].PartitionValues["resource_type"]!];
            for (var v = 0; v < pieceViews.Count; v++)
            {
                var sum = result[pieceViews[v]];
                var part = perPiece[i][v];
                sum.Files.AddRange(part.Files);
                result[pieceViews[v]] = sum with
                {
                    Resources = sum.Resources + part.Resources,
                    Rows = sum.Rows + part.Rows,
                    Failures = sum.Failures + part.Failures,
                    FirstFailure = sum.FirstFailure ?? part.FirstFailure,
                    NulledColumns = Add(pieceViews[v], sum.NulledColumns, part.NulledColumns),
                };
            }
        }

        return result;
    }


    private static ViewRun Evaluate(ViewDefinition view, IReadOnlyList<BronzeRow> resources)
    {
        var run = new ViewRun(view);
        foreach (var resource in resources)
        {
            run.Add(resource.ResourceType + "/" + resource.Id, Encoding.UTF8.GetBytes(resource.Resource!));
        }

        return run;
    }

    /// <summary>The table name of a view: its <c>name</c>, which must be a plain SQL identifier.</summary>
    public static string NameOf(ViewDefinition view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var name = view.Name;
        if (string.IsNullOrEmpty(name) || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"A materialised view needs a name made of letters, digits and '_' (starting with a letter): '{name}' (view on {view.Resource}).", nameof(view));
        }

        return name;
    }

    private static IReadOnlyList<ViewMaterialization> Order(List<ViewMaterialization> results, IReadOnlyList<ViewDefinition> views) =>
        views.Select(v => results.Last(r => string.Equals(r.View, NameOf(v), StringComparison.Ordinal))).ToList();


    /// <summary>A view's data files written by a build (not yet committed), with what was evaluated.</summary>
    private sealed record Written(List<DataFile> Files, long Resources, long Rows, long Failures, string? FirstFailure, IReadOnlyList<ViewColumnNulls> NulledColumns);

    /// <summary>The nulled values of two parts of a view added up per column, in the view's column order.</summary>
    private static List<ViewColumnNulls> Add(ViewDefinition view, IReadOnlyList<ViewColumnNulls> a, IReadOnlyList<ViewColumnNulls> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return [.. a.Count == 0 ? b : a];
        }

        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (column, values) in a.Concat(b))
        {
            sums[column] = sums.GetValueOrDefault(column) + values;
        }

        return [.. view.Columns.Where(c => sums.ContainsKey(c.Name)).Select(c => new ViewColumnNulls(c.Name, sums[c.Name]))];
    }

    /// <summary>
    /// One view evaluated over resources: its rows by column (with their resource key), the resources on which it
    /// failed (the view's error or bad JSON), which add no rows, counted with the first error, and the values of its
    /// rows stored as null because they do not fit their column's type.
    /// </summary>
    private sealed class ViewRun(ViewDefinition view) : IDisposable
    {
        private readonly ViewEvaluator _evaluator = view.CreateEvaluator();
        private readonly ViewColumnSink _sink = new(view);

        public ColumnBatch Rows => _sink.Batch;

        public long Failures { get; private set; }

        public string? FirstFailure { get; private set; }

        public IReadOnlyList<ViewColumnNulls> NulledColumns => _sink.NulledColumns;

        public void Add(string key, JsonElement resource) => Run(key, resource, static (e, json, sink) => e.Evaluate(json, sink));

        public void Add(string key, ReadOnlyMemory<byte> resource) => Run(key, resource, static (e, json, sink) => e.Evaluate(json, sink));

        public void Dispose() => _sink.Dispose();

        /// <summary>Forgets the rows and failures, keeping the memory, for the next resources.</summary>
        public void Clear()
        {
            _sink.Clear();
            Failures = 0;
            FirstFailure = null;
        }

        private void Run<T>(string key, T resource, Func<ViewEvaluator, T, IViewRowSink, int> evaluate)
        {
            _sink.SetResourceKey(key);
            _sink.Mark();
            try
            {
                evaluate(_evaluator, resource, _sink);
            }
            catch (Exception e) when (e is ViewDefinitionException or JsonException)
            {
                _sink.ResetToMark();
                Failures++;
                FirstFailure ??= $"{key}: {e.Message}";
            }
        }
    }
}
