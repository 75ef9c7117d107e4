using Fhirhouse.Delta;
using Fhirhouse.Storage;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// Finds lake tables by name: <c>NAME</c> is the Delta table at the first of the configured folders
/// (<c>tables/NAME</c>, <c>tables/views/NAME</c>, <c>tables/gold/NAME</c>) that holds a <c>_delta_log</c>.
/// </summary>
internal sealed class LakeTableCatalog(IObjectStore store, IReadOnlyList<string> folders)
{
    private readonly Dictionary<string, DeltaTable> _opened = new(StringComparer.OrdinalIgnoreCase);

    public async Task<DeltaTable?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (_opened.TryGetValue(name, out var known))
        {
            return known;
        }

        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            return null;
        }

        foreach (var folder in folders)
        {
            var path = folder + name;
            if (await HasLogAsync(path, cancellationToken).ConfigureAwait(false))
            {
                var table = await DeltaTable.OpenAsync(store, path, cancellationToken: cancellationToken).ConfigureAwait(false);
                _opened[name] = table;
                return table;
            }
        }

        return null;
    }

    /// <summary>Every table of the configured folders, by name (first folder wins), with its path.</summary>
    public async Task<IReadOnlyList<(string Name, string Path)>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var folder in folders)
        {
            await foreach (var info in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
            {
                var rest = info.Key[folder.Length..];
                var at = rest.IndexOf("/_delta_log/", StringComparison.Ordinal);
                if (at > 0 && !rest[..at].Contains('/', StringComparison.Ordinal))
                {
                    found.TryAdd(rest[..at], folder + rest[..at]);
                }
            }
        }

        return found.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private async Task<bool> HasLogAsync(string path, CancellationToken cancellationToken)
    {
        await foreach (var _ in store.ListAsync(path + "/_delta_log/", cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }
}
