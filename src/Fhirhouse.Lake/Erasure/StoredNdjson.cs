using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Erasure;

/// <summary>Erasure of one NDJSON object of the store (plain or gzip): the patient's lines out, the object deleted when nothing is left.</summary>
public static class StoredNdjson
{
    /// <summary>
    /// Rewrites the object at <paramref name="key"/> without <paramref name="patient"/> (deletes it when nothing else is
    /// left); null when nothing of theirs is in it. With <paramref name="dryRun"/>, only says what it would do.
    /// </summary>
    public static async Task<JobFileErasure?> EraseAsync(IObjectStore store, string key, PatientMatcher patient, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(patient);
        var bytes = await store.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false);
        var stripped = PayloadText.Strip(bytes, singleDocument: false, patient, out _, out var removed, out var empty);
        if (stripped is null)
        {
            return null;
        }

        if (!dryRun)
        {
            await (empty ? store.DeleteAsync(key, cancellationToken) : store.PutAsync(key, stripped, cancellationToken)).ConfigureAwait(false);
        }

        return new JobFileErasure(key, empty ? "deleted" : "rewritten", removed);
    }

    /// <summary>True for keys of NDJSON objects (<c>.ndjson</c>, <c>.ndjson.gz</c>).</summary>
    public static bool IsNdjson(string key) =>
        key.EndsWith(".ndjson", StringComparison.Ordinal) || key.EndsWith(".ndjson.gz", StringComparison.Ordinal);
}
