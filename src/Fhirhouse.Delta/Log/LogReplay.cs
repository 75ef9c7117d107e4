using Fhirhouse.Delta.Actions;

namespace Fhirhouse.Delta.Log;

/// <summary>
/// Log replay without I/O: actions are applied oldest first (checkpoint, then commits in version order); the latest
/// protocol and metaData win, files are keyed by (decoded path, deletion-vector id), the latest txn per appId wins.
/// </summary>
internal sealed class LogReplay(string tablePath)
{
    private readonly Dictionary<(string Path, string? DvId), AddFile> _files = [];
    private readonly Dictionary<(string Path, string? DvId), RemoveFile> _tombstones = [];
    private readonly Dictionary<string, SetTransaction> _txns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DomainMetadata> _domains = new(StringComparer.Ordinal);
    private Protocol? _protocol;
    private Metadata? _metadata;

    /// <summary>Applies the actions of one commit (or of a checkpoint), in order.</summary>
    public void Apply(IEnumerable<DeltaAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case AddFile add:
                    var addKey = (DeltaPath.Canonical(add.Path), add.DeletionVector?.UniqueId);
                    _files[addKey] = add;
                    _tombstones.Remove(addKey);
                    break;
                case RemoveFile remove:
                    var removeKey = (DeltaPath.Canonical(remove.Path), remove.DeletionVector?.UniqueId);
                    _files.Remove(removeKey);
                    _tombstones[removeKey] = remove;
                    break;
                case Protocol protocol:
                    _protocol = protocol;
                    break;
                case Metadata metadata:
                    _metadata = metadata;
                    break;
                case SetTransaction txn:
                    _txns[txn.AppId] = txn;
                    break;
                case DomainMetadata domain when domain.Removed:
                    _domains.Remove(domain.Domain);
                    break;
                case DomainMetadata domain:
                    _domains[domain.Domain] = domain;
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>An independent copy, to go on replaying from this state.</summary>
    public LogReplay Clone()
    {
        var copy = new LogReplay(tablePath) { _protocol = _protocol, _metadata = _metadata };
        foreach (var (key, add) in _files)
        {
            copy._files[key] = add;
        }

        foreach (var (key, remove) in _tombstones)
        {
            copy._tombstones[key] = remove;
        }

        foreach (var (key, txn) in _txns)
        {
            copy._txns[key] = txn;
        }

        foreach (var (key, domain) in _domains)
        {
            copy._domains[key] = domain;
        }

        return copy;
    }

    /// <summary>The state so far; throws <see cref="DeltaProtocolException"/> when protocol or metaData is missing.</summary>
    public TableState Result()
    {
        var protocol = _protocol ?? throw new DeltaProtocolException(tablePath, "the log has no protocol action (state reconstruction needs one).");
        var metadata = _metadata ?? throw new DeltaProtocolException(tablePath, "the log has no metaData action (state reconstruction needs one).");
        return new TableState(protocol, metadata, [.. _files.Values], [.. _tombstones.Values], _txns, _domains);
    }
}
