using System.Text;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Storage;

namespace Fhirhouse.Ingest.Sources;

/// <summary>
/// The sources' part in an erasure (<see cref="IErasureParticipant"/>): their resume state holds no resource content
/// (Bulk Data client jobs: server URLs, the manifest and the files already landed; REST sync: one time per resource
/// type), so it is kept and the next run resumes where it stopped. A Bulk Data job whose URLs reference the patient
/// (an export about them) is deleted: its files were theirs, and a re-run kicks it off again.
/// </summary>
public sealed class SourceStateErasure(IObjectStore lake) : IErasureParticipant
{
    public string Name => "source resume state (Bulk Data client jobs, REST high-water marks)";

    public IReadOnlyList<string> Prefixes { get; } = [LakeLayout.BulkClientJobs, LakeLayout.RestSync];

    public async Task<IReadOnlyList<JobFileErasure>> EraseAsync(PatientMatcher patient, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var keys = new List<string>();
        await foreach (var info in lake.ListAsync(LakeLayout.BulkClientJobs, cancellationToken).ConfigureAwait(false))
        {
            keys.Add(info.Key);
        }

        var changed = new List<JobFileErasure>();
        foreach (var key in keys)
        {
            var text = Uri.UnescapeDataString(Encoding.UTF8.GetString(await lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false)));
            if (!patient.References(Encoding.UTF8.GetBytes(text)))
            {
                continue;
            }

            if (!dryRun)
            {
                await lake.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }

            changed.Add(new JobFileErasure(key, "deleted", 1));
        }

        return changed;
    }
}
