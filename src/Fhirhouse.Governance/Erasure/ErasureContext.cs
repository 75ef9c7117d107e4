using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// What the steps of one erasure run share: the lake, the options, the journal saved after each step, the patient's
/// matcher (known once bronze is read) and the raw payloads found to check.
/// </summary>
internal sealed class ErasureContext(IObjectStore lake, ErasureOptions options, IProgress<ErasureProgress>? progress, string journalKey)
{
    private readonly DeltaTableOptions _tableOptions = new() { TimeProvider = options.Time, CheckpointInterval = 1 };

    public IObjectStore Lake => lake;

    public ErasureOptions Options => options;

    public ErasureJournal Journal { get; set; } = null!;

    public PatientMatcher Matcher { get; set; } = null!;

    /// <summary>Raw payloads that may hold the patient.</summary>
    public HashSet<string> Candidates { get; } = new(StringComparer.Ordinal);

    public void Report(string zone, string item, int done, int total) => progress?.Report(new ErasureProgress(zone, item, done, total));

    /// <summary>Saves the journal (not in a dry run), so that an interrupted run resumes after the last step done.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            await lake.PutAsync(journalKey, JsonSerializer.SerializeToUtf8Bytes(Journal, ErasureJson.Options), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a table with a checkpoint at every commit (so that its log can be cleaned up to the erasure's last commit).</summary>
    public Task<DeltaTable> OpenTableAsync(string path, CancellationToken cancellationToken) =>
        DeltaTable.OpenAsync(lake, path, _tableOptions, cancellationToken);
}
