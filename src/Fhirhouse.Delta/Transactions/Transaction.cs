using System.Text;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// One optimistic transaction: actions staged against the version it read (-1 to create the table), committed by put-if-absent of the next
/// commit file. On losing the race it reads the winning commits and retries at the next version unless they conflict.
/// In a lake that keeps table heads, each commit records the hash of the one before it and is followed by its head record.
/// </summary>
internal sealed class Transaction(DeltaTable table, Snapshot? read, string operation)
{
    private readonly List<DeltaAction> _actions = [];
    private readonly long _readVersion = read?.Version ?? -1;

    public HashSet<string> AppIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Canonical paths of files this transaction read and whose removal by another commit conflicts.</summary>
    public HashSet<string> ReadFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>True when the transaction read the table's rows (delete, update, merge, overwrite): concurrent appends conflict.</summary>
    public bool ReadWholeTable { get; set; }

    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    public int FilesAdded => _actions.OfType<AddFile>().Count();

    public int FilesRemoved => _actions.OfType<RemoveFile>().Count();

    public void Add(DeltaAction action)
    {
        if (action is SetTransaction txn)
        {
            AppIds.Add(txn.AppId);
        }

        _actions.Add(action);
    }

    public void AddRange(IEnumerable<DeltaAction> actions)
    {
        foreach (var action in actions)
        {
            Add(action);
        }
    }

    public async Task<long> CommitAsync(CancellationToken cancellationToken)
    {
        var log = table.Log;
        var version = _readVersion + 1;
        var blindAppend = !ReadWholeTable && ReadFiles.Count == 0 && _actions.All(a => a is AddFile or SetTransaction or CommitInfo);
        for (var attempt = 1; ; attempt++)
        {
            var commitInfo = new CommitInfo(table.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), operation, Parameters,
                _readVersion >= 0 ? _readVersion : null, blindAppend, table.Options.EngineInfo, Guid.NewGuid().ToString("D"))
            {
                PreviousCommitSha256 = log.Heads is not null && version > 0 ? await log.CommitHashAsync(version - 1, cancellationToken).ConfigureAwait(false) : null,
            };
            var content = Serialize([commitInfo, .. _actions]);
            if (await log.Store.PutIfAbsentAsync(log.CommitKey(version), content, cancellationToken).ConfigureAwait(false))
            {
                await RecordHeadAsync(version, content, cancellationToken).ConfigureAwait(false);
                await Checkpointer.MaybeWriteAsync(table, version, cancellationToken).ConfigureAwait(false);
                return version;
            }

            if (version == 0)
            {
                throw new CommitConflictException(0, await ReadCommitInfoAsync(0, cancellationToken).ConfigureAwait(false),
                    $"table '{table.Path}' was created by another writer");
            }

            var winning = await log.ReadCommitAsync(version, cancellationToken).ConfigureAwait(false);
            var winningInfo = winning.OfType<CommitInfo>().FirstOrDefault();
            if (ConflictChecker.FindConflict(this, winning) is { } reason)
            {
                throw new CommitConflictException(version, winningInfo, reason);
            }

            if (attempt >= table.Options.MaxCommitAttempts)
            {
                throw new CommitConflictException(version, winningInfo, $"gave up after {attempt} attempts");
            }

            version++;
        }
    }

    /// <summary>
    /// Records the head of the commit just written. The commit is durable already: a head record that fails to land
    /// leaves the head behind the log, which the chain covers, and the next commit records a newer one.
    /// </summary>
    private async Task RecordHeadAsync(long version, byte[] content, CancellationToken cancellationToken)
    {
        var log = table.Log;
        var hash = log.Remember(version, content);
        if (log.Heads is null)
        {
            return;
        }

        var tableId = _actions.OfType<Metadata>().LastOrDefault()?.Id ?? read?.Metadata.Id
            ?? throw new InvalidOperationException($"Table '{table.Path}': a commit without a read snapshot must carry the table's metadata.");
        try
        {
            await log.Heads.RecordHeadAsync(table.Path, new Storage.Heads.TableHead(version, hash, tableId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // See above: the commit stands; only the head lags until the next commit.
        }
    }

    private async Task<CommitInfo?> ReadCommitInfoAsync(long version, CancellationToken cancellationToken)
    {
        var actions = await table.Log.ReadCommitAsync(version, cancellationToken).ConfigureAwait(false);
        return actions.OfType<CommitInfo>().FirstOrDefault();
    }

    private static byte[] Serialize(IEnumerable<DeltaAction> actions)
    {
        var builder = new StringBuilder();
        foreach (var action in actions)
        {
            builder.Append(ActionJson.Serialize(action)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
