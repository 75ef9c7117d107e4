using Fhirhouse.Lake;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>An erasure run in the job state under <c>jobs/</c>.</summary>
internal sealed partial class ErasureRun
{
    /// <summary>Job state under <c>jobs/</c> (not erasure state nor secrets): NDJSON rewritten without the patient, other objects that mention them deleted.</summary>
    private async Task EraseJobsAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var info in lake.ListAsync(LakeLayout.Jobs, cancellationToken).ConfigureAwait(false))
        {
            if (!info.Key.StartsWith(PatientErasure.Prefix, StringComparison.Ordinal) && !info.Key.StartsWith(LakeLayout.Secrets, StringComparison.Ordinal))
            {
                keys.Add(info.Key);
            }
        }

        var changed = new List<JobFileErasure>();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            Report("jobs", key, i, keys.Count);
            var bytes = await lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false);
            if (key.EndsWith(".ndjson", StringComparison.Ordinal) || key.EndsWith(".ndjson.gz", StringComparison.Ordinal))
            {
                var stripped = PayloadText.Strip(bytes, singleDocument: false, _matcher, out _, out var removed, out var empty);
                if (stripped is null)
                {
                    continue;
                }

                if (!options.DryRun)
                {
                    await (empty ? lake.DeleteAsync(key, cancellationToken) : lake.PutAsync(key, stripped, cancellationToken)).ConfigureAwait(false);
                }

                changed.Add(new JobFileErasure(key, empty ? "deleted" : "rewritten", removed));
            }
            else if (_matcher.Mentions(bytes))
            {
                if (!options.DryRun)
                {
                    await lake.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }

                changed.Add(new JobFileErasure(key, "deleted", 1));
            }
        }

        if (!options.DryRun)
        {
            await FixExportManifestsAsync(changed, cancellationToken).ConfigureAwait(false);
        }

        _journal.JobFiles.AddRange(changed);
        _journal.JobsDone = true;
        await SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An export's <c>job.json</c> lists its files with their line counts: counts lowered, deleted files dropped.</summary>
    private async Task FixExportManifestsAsync(List<JobFileErasure> changed, CancellationToken cancellationToken)
    {
        foreach (var folder in changed.Where(c => c.Key.EndsWith(".ndjson", StringComparison.Ordinal)).GroupBy(c => c.Key[..(c.Key.LastIndexOf('/') + 1)], StringComparer.Ordinal))
        {
            var jobKey = folder.Key + "job.json";
            if (!await lake.ExistsAsync(jobKey, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var job = JsonNode.Parse(await lake.ReadAllBytesAsync(jobKey, cancellationToken).ConfigureAwait(false)) as JsonObject;
            if (job?["files"] is not JsonArray files)
            {
                continue;
            }

            foreach (var change in folder)
            {
                var name = change.Key[folder.Key.Length..];
                var entry = files.OfType<JsonObject>().FirstOrDefault(f => string.Equals((string?)f["name"], name, StringComparison.Ordinal));
                if (entry is null)
                {
                    continue;
                }

                if (change.Action == "deleted")
                {
                    files.Remove(entry);
                }
                else if (entry["count"] is JsonValue count && count.TryGetValue<long>(out var n))
                {
                    entry["count"] = Math.Max(0, n - change.Removed);
                }
            }

            await lake.PutAsync(jobKey, JsonSerializer.SerializeToUtf8Bytes(job, ErasureJson.Options), cancellationToken).ConfigureAwait(false);
        }
    }
}
