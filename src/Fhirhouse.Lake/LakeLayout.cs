namespace Fhirhouse.Lake;

/// <summary>
/// Every path of the lake, as object-key prefixes under the lake's root: the tables (<c>tables/</c>), the raw zone
/// (<c>raw/</c>) and the state that jobs keep between runs (<c>jobs/</c>). Nothing else in the code spells a lake path.
/// </summary>
public static class LakeLayout
{
    /// <summary>The folder of every Delta table: <c>tables/NAME</c>, <c>tables/views/NAME</c>, <c>tables/gold/NAME</c>, <c>tables/ml/NAME</c>.</summary>
    public const string Tables = "tables/";

    /// <summary>The folder of the materialised SQL-on-FHIR views (silver).</summary>
    public const string Views = "tables/views/";

    /// <summary>The folder of the gold tables (features, annotations, predictions).</summary>
    public const string Gold = "tables/gold/";

    /// <summary>The folder of the machine-learning tables (<c>ml.features_NAME</c>, <c>ml.models</c>, <c>ml.predictions</c>, <c>ml.monitoring</c>).</summary>
    public const string Ml = "tables/ml/";

    /// <summary>The model registry's artifacts (trained models, encrypted like every object): <c>jobs/ml/models/NAME/VERSION.zip</c>.</summary>
    public const string MlModels = "jobs/ml/models/";

    /// <summary>The raw zone: every payload as received, content-addressed (<c>raw/payloads/ab/abcd....ext</c>).</summary>
    public const string RawPayloads = "raw/payloads/";

    /// <summary>State that jobs keep between runs.</summary>
    public const string Jobs = "jobs/";

    /// <summary>The Bulk Data client's jobs (status URL, files landed): <c>jobs/bulk/ID.json</c>.</summary>
    public const string BulkClientJobs = "jobs/bulk/";

    /// <summary>The REST sync's high-water marks, one folder per server: <c>jobs/sync/rest/HASH/</c>.</summary>
    public const string RestSync = "jobs/sync/rest/";

    /// <summary>The Bulk Data server's export jobs and their files: <c>jobs/exports/ID/</c>.</summary>
    public const string ServerExports = "jobs/exports/";

    /// <summary>Erasure journals and signed reports: <c>jobs/erasure/</c>.</summary>
    public const string Erasure = "jobs/erasure/";

    /// <summary>The lake's wrapped secrets: <c>jobs/secrets/</c>.</summary>
    public const string Secrets = "jobs/secrets/";

    /// <summary>The SQL shell's history, one object per user (encrypted with the lake, cleared by erasure like any job object).</summary>
    public const string ShellHistory = "jobs/shell/history/";

    /// <summary>True when <paramref name="key"/> is inside the raw zone.</summary>
    public static bool IsRawPayload(string key) => key.StartsWith(RawPayloads, StringComparison.Ordinal);

    /// <summary>The raw zone's key of a payload: its SHA-256 (lowercase hex) sharded by its first two characters.</summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 characters long.</exception>
    public static string RawPayloadKey(string sha256, string extension)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != 64)
        {
            throw new ArgumentException($"A raw payload is named by its SHA-256 in 64 hex characters (got {sha256.Length}).", nameof(sha256));
        }

        return $"{RawPayloads}{sha256[..2]}/{sha256}{extension}";
    }
}
