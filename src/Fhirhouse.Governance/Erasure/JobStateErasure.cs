using Fhirhouse.Storage;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Erasure;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// The job state step (<c>jobs/</c>): each participant the host registered erases what it owns, in its own format; an
/// object under no participant's prefix (nor erasure state, nor secrets) is stripped of the patient when it is NDJSON
/// and deleted when it otherwise mentions them, so that nothing of theirs stays where no room answers for it.
/// </summary>
internal sealed class JobStateErasure(ErasureContext context)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var participants = context.Options.Participants;
        var changed = new List<JobFileErasure>();
        for (var i = 0; i < participants.Count; i++)
        {
            context.Report("jobs", participants[i].Name, i, participants.Count + 1);
            changed.AddRange(await participants[i].EraseAsync(context.Matcher, context.Options.DryRun, cancellationToken).ConfigureAwait(false));
        }

        context.Report("jobs", "objects no room owns", participants.Count, participants.Count + 1);
        var owned = participants.SelectMany(p => p.Prefixes).Append(LakeLayout.Erasure).Append(LakeLayout.Secrets).ToList();
        var unclaimed = new List<string>();
        await foreach (var info in context.Lake.ListAsync(LakeLayout.Jobs, cancellationToken).ConfigureAwait(false))
        {
            if (!owned.Any(prefix => info.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                unclaimed.Add(info.Key);
            }
        }

        foreach (var key in unclaimed)
        {
            if (StoredNdjson.IsNdjson(key))
            {
                if (await StoredNdjson.EraseAsync(context.Lake, key, context.Matcher, context.Options.DryRun, cancellationToken).ConfigureAwait(false) is { } erased)
                {
                    changed.Add(erased);
                }
            }
            else if (context.Matcher.Mentions(await context.Lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false)))
            {
                if (!context.Options.DryRun)
                {
                    await context.Lake.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }

                changed.Add(new JobFileErasure(key, "deleted", 1));
            }
        }

        context.Report("jobs", "", participants.Count + 1, participants.Count + 1);
        context.Journal.JobFiles.AddRange(changed);
        context.Journal.JobsDone = true;
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
    }
}
