using System.Text;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Storage;

namespace Fhirhouse.Server.Export;

/// <summary>
/// The Bulk Data server's part in an erasure (<see cref="IErasureParticipant"/>): each export's NDJSON files lose the
/// patient's lines (a file left empty is deleted) and its <c>job.json</c> lists what remains with the right line counts.
/// An export whose request itself names the patient (a <c>_typeFilter</c> on their id) is deleted whole.
/// </summary>
public sealed class ExportErasure(IObjectStore lake) : IErasureParticipant
{
    private readonly ExportJobStore _jobs = new(lake);

    public string Name => "Bulk Data server exports";

    public IReadOnlyList<string> Prefixes { get; } = [ExportJobStore.Prefix];

    public async Task<IReadOnlyList<JobFileErasure>> EraseAsync(PatientMatcher patient, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var byJob = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var info in lake.ListAsync(ExportJobStore.Prefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[ExportJobStore.Prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                (byJob.TryGetValue(rest[..slash], out var keys) ? keys : byJob[rest[..slash]] = []).Add(info.Key);
            }
        }

        var changed = new List<JobFileErasure>();
        foreach (var (id, keys) in byJob)
        {
            var job = await _jobs.LoadAsync(id, cancellationToken).ConfigureAwait(false);
            if (job is not null && NamesPatient(job.Request, patient))
            {
                foreach (var key in keys)
                {
                    if (!dryRun)
                    {
                        await lake.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                    }

                    changed.Add(new JobFileErasure(key, "deleted", 1));
                }

                continue;
            }

            var erased = new List<JobFileErasure>();
            foreach (var key in keys.Where(StoredNdjson.IsNdjson))
            {
                if (await StoredNdjson.EraseAsync(lake, key, patient, dryRun, cancellationToken).ConfigureAwait(false) is { } file)
                {
                    erased.Add(file);
                }
            }

            if (erased.Count > 0 && job is not null && !dryRun)
            {
                await _jobs.SaveAsync(job with { Files = Recount(job, erased) }, cancellationToken).ConfigureAwait(false);
            }

            changed.AddRange(erased);
        }

        return changed;
    }

    /// <summary>
    /// True when the request names the patient: "Patient/ID" anywhere in its URL or filters, or the id itself as a
    /// search value of a Patient filter (<c>Patient?_id=ID</c>).
    /// </summary>
    private static bool NamesPatient(ExportRequest request, PatientMatcher patient) =>
        Names(request.RequestUrl, patient) || request.TypeFilters.Any(f => Names(f, patient));

    private static bool Names(string text, PatientMatcher patient)
    {
        var plain = Uri.UnescapeDataString(text);
        if (patient.Mentions(Encoding.UTF8.GetBytes(plain)))
        {
            return true;
        }

        var query = plain.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 && plain.AsSpan(0, query).EndsWith("Patient", StringComparison.Ordinal)
            && plain[(query + 1)..].Split('&', ',', '=').Any(token => string.Equals(token, patient.PatientId, StringComparison.Ordinal));
    }

    /// <summary>The job's files after the erasure: deleted ones dropped, rewritten ones with fewer lines.</summary>
    private static List<ExportFile> Recount(ExportJob job, List<JobFileErasure> erased)
    {
        var byName = erased.ToDictionary(e => e.Key[(e.Key.LastIndexOf('/') + 1)..], StringComparer.Ordinal);
        var files = new List<ExportFile>();
        foreach (var file in job.Files)
        {
            if (!byName.TryGetValue(file.Name, out var change))
            {
                files.Add(file);
            }
            else if (change.Action != "deleted")
            {
                files.Add(file with { Count = Math.Max(0, file.Count - change.Removed) });
            }
        }

        return files;
    }
}
