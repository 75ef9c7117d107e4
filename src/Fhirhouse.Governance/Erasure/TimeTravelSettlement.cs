using Fhirhouse.Delta;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Governance.Erasure;

/// <summary>The time-travel step: a last commit and checkpoint, VACUUM and log cleanup for each table the patient was removed from; tables derived from bronze moved along or listed for a rebuild.</summary>
internal sealed class TimeTravelSettlement(ErasureContext context)
{
    /// <summary>
    /// Time travel: each table the patient was removed from, and every table derived from bronze when bronze was,
    /// gets a last commit (a checkpoint at it), VACUUM of every file the latest version does not need, and its log
    /// cleaned up to that checkpoint. Tables that reflected bronze when the erasure began are moved to bronze's new
    /// version (bronze's change feed before it is gone); others that follow bronze are listed as needing a rebuild.
    /// </summary>
    /// <summary>A horizon a day ahead of the clock: files written moments ago (this erasure's change data) go too, whatever the skew between our clock and the store's.</summary>
    private static readonly TimeSpan s_everything = TimeSpan.FromDays(-1);

    public async Task RunAsync(List<string> tables, CancellationToken cancellationToken)
    {
        var touched = context.Journal.Tables.Select(t => t.Path).ToHashSet(StringComparer.Ordinal);
        var sealedAt = new Dictionary<string, long>(StringComparer.Ordinal);
        if (touched.Contains(BronzeTable.TablePath))
        {
            var bronze = await context.OpenTableAsync(BronzeTable.TablePath, cancellationToken).ConfigureAwait(false);
            var bronzeVersion = (await bronze.AppendAsync([], cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
            sealedAt[BronzeTable.TablePath] = bronzeVersion;
            var othersWrote = await OthersWroteBronzeAsync(bronze, cancellationToken).ConfigureAwait(false);
            foreach (var path in tables.Where(p => !string.Equals(p, BronzeTable.TablePath, StringComparison.Ordinal)))
            {
                var table = await context.OpenTableAsync(path, cancellationToken).ConfigureAwait(false);
                var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var applied = snapshot.GetTransactionVersion(DerivedTable.BronzeAppId);
                if (applied is null)
                {
                    continue;
                }

                // Derived from bronze: any older version may hold the patient (a view drops a deleted resource's rows, its history keeps them).
                if (context.Journal.Table(path) is null)
                {
                    context.Journal.Record(new TableErasure(path, 0, snapshot.Version, snapshot.Version, [], 0, null));
                }

                if (applied >= bronzeVersion)
                {
                    continue;
                }

                if (!othersWrote && context.Journal.Followers.Contains(path, StringComparer.Ordinal))
                {
                    sealedAt[path] = (await table.AppendAsync([], new AppTransaction(DerivedTable.BronzeAppId, bronzeVersion), cancellationToken).ConfigureAwait(false)).Version;
                }
                else if (!context.Journal.NeedRebuild.Contains(path, StringComparer.Ordinal))
                {
                    context.Journal.NeedRebuild.Add(path);
                }
            }
        }

        var order = context.Journal.Tables.Select(t => t.Path).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            var path = order[i];
            context.Report("time travel", path, i, order.Count);
            var table = await context.OpenTableAsync(path, cancellationToken).ConfigureAwait(false);
            if (!sealedAt.ContainsKey(path))
            {
                await table.AppendAsync([], cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (snapshot.CheckpointVersion != snapshot.Version)
            {
                throw new InvalidOperationException($"Table '{path}': no checkpoint could be written at version {snapshot.Version}, so its log cannot be cleaned up; run the erasure again.");
            }

            // Every file a commit removed goes; a file no commit names is kept while a concurrent writer may still commit it.
            var vacuum = await table.VacuumAsync(s_everything, force: true, uncommittedGrace: context.Options.UncommittedGrace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var log = await table.CleanUpLogAsync(s_everything, cancellationToken).ConfigureAwait(false);
            var history = await table.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var recorded = context.Journal.Table(path)!;
            context.Journal.Record(recorded with
            {
                VersionAfter = snapshot.Version,
                FilesVacuumed = [.. recorded.FilesVacuumed.Concat(vacuum.DeletedKeys).Distinct(StringComparer.Ordinal)],
                LogFilesRemoved = recorded.LogFilesRemoved + log.Count,
                EarliestVersion = history.Count > 0 ? history.Min(h => h.Version) : snapshot.Version,
            });
            await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        context.Report("time travel", "", order.Count, order.Count);
    }

    /// <summary>
    /// True when a commit other than the erasure's own (its UPDATE, DELETE and empty WRITE) reached bronze since the
    /// erasure began: the tables following bronze did not see it, so they are not moved along but listed for a rebuild.
    /// </summary>
    private async Task<bool> OthersWroteBronzeAsync(DeltaTable bronze, CancellationToken cancellationToken)
    {
        var history = await bronze.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return history.Any(h => h.Version > context.Journal.BronzeVersionBefore
            && !(h.Operation is "UPDATE" or "DELETE" or "MERGE" || (h.Operation == "WRITE" && h.FilesAdded == 0 && h.FilesRemoved == 0)));
    }
}
