using Fhirhouse.Delta;
using Fhirhouse.Storage;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// Finds lake tables by name: <c>NAME</c> is the Delta table at the first of the configured folders
/// (<c>tables/NAME</c>, <c>tables/views/NAME</c>, <c>tables/gold/NAME</c>) that holds a Delta table.
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
            if (await DeltaTable.ExistsAsync(store, path, cancellationToken).ConfigureAwait(false))
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
            await foreach (var path in DeltaTable.ListTablesAsync(store, folder, cancellationToken).ConfigureAwait(false))
            {
                found.TryAdd(path[folder.Length..], path);
            }
        }

        return found.Select(kv => (kv.Key, kv.Value)).ToList();
    }
}
