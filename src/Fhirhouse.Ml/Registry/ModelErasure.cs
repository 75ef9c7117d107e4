using System.Globalization;
using Fhirhouse.Delta;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Storage;

namespace Fhirhouse.Ml.Registry;

/// <summary>
/// The registry's part in an erasure (<see cref="IErasureParticipant"/>): every model version whose training feature
/// table version holds the patient (read by time travel before the erasure removes them from the tables) is listed in
/// the report (its artifact, <c>marked</c>, the patient's rows it learned from) and marked in <c>ml.model_decisions</c>
/// (<see cref="ModelActions.ErasureMarked"/>, naming the patient only by the erasure's keyed subject hash). Artifacts are
/// kept: a model holds no row, and the decision says it must be retrained. The erasure then deletes the patient's rows
/// from the feature tables and <c>ml.predictions</c> like from every table, so the next training excludes them.
/// Marking again for the same subject is skipped, so an interrupted erasure runs this again safely.
/// </summary>
public sealed class ModelErasure(IObjectStore lake, TimeProvider time, Func<string, string> subjectOf, DeltaTableOptions? tableOptions = null) : IErasureParticipant
{
    /// <summary>Who the decisions are recorded as.</summary>
    public const string DecidedBy = "erasure";

    private readonly DeltaTableOptions _options = tableOptions ?? new DeltaTableOptions();

    public string Name => "ML model registry (models that learned from the patient)";

    public IReadOnlyList<string> Prefixes { get; } = [LakeLayout.MlModels];

    public async Task<IReadOnlyList<JobFileErasure>> EraseAsync(PatientMatcher patient, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var registry = new ModelRegistry(lake, time, _options);
        var models = await registry.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var subject = subjectOf(patient.PatientId);
        var decisions = await registry.DecisionsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<(string Table, long Version), long>();
        var marked = new List<JobFileErasure>();
        foreach (var model in models)
        {
            var key = (model.FeatureTable, model.FeatureTableVersion);
            if (!counts.TryGetValue(key, out var rows))
            {
                counts[key] = rows = await RowsOfAsync(model.FeatureTable, model.FeatureTableVersion, patient, cancellationToken).ConfigureAwait(false);
            }

            if (rows == 0)
            {
                continue;
            }

            marked.Add(new JobFileErasure(model.Artifact, "marked", rows));
            var reason = $"learned from {rows.ToString(CultureInfo.InvariantCulture)} rows of erased subject {subject} in {model.FeatureTable} v{model.FeatureTableVersion.ToString(CultureInfo.InvariantCulture)}: retrain without them";
            if (dryRun || decisions.Any(d => d.Model == model.Model && d.Version == model.Version && d.Action == ModelActions.ErasureMarked && d.Reasons.Any(r => r.Contains(subject, StringComparison.Ordinal))))
            {
                continue;
            }

            await registry.DecideAsync(new ModelDecision(time.GetUtcNow(), model.Model, model.Version, ModelActions.ErasureMarked, null, null, [reason], DecidedBy), cancellationToken).ConfigureAwait(false);
        }

        return marked;
    }

    /// <summary>The patient's rows in a feature table at a version; 0 when that version can no longer be read (cleaned up by an earlier erasure or retention).</summary>
    private async Task<long> RowsOfAsync(string table, long version, PatientMatcher patient, CancellationToken cancellationToken)
    {
        var path = LakeLayout.Ml + table[(table.IndexOf('.', StringComparison.Ordinal) + 1)..];
        if (!await DeltaTable.ExistsAsync(lake, path, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        Snapshot snapshot;
        try
        {
            snapshot = await (await DeltaTable.OpenAsync(lake, path, _options, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeltaProtocolException or DeltaTableNotFoundException or FileNotFoundException)
        {
            return 0;
        }

        long rows = 0;
        await foreach (var row in snapshot.ReadRowsAsync(["patient_id"], cancellationToken).ConfigureAwait(false))
        {
            rows += patient.Names(row[0] as string) ? 1 : 0;
        }

        return rows;
    }
}
