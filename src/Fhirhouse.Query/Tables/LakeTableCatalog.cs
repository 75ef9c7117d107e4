using Fhirhouse.Delta;
using Fhirhouse.Storage;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// Resolves the names a statement uses: <c>zone.table</c> as written, a short name when exactly one table has it (two
/// tables sharing a short name must be qualified: no table shadows another); the tables opened are kept by folder.
/// </summary>
internal sealed class LakeTableCatalog(IObjectStore store, ITableCatalog catalog)
{
    private readonly Dictionary<string, DeltaTable> _opened = new(StringComparer.Ordinal);

    /// <summary>The table <paramref name="name"/> names (<c>table</c> or <c>zone.table</c>), or null when it names none.</summary>
    /// <exception cref="QueryException">A short name that several tables have.</exception>
    public async Task<(CatalogTable Entry, DeltaTable Table)?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var (zone, shortName) = dot > 0 ? (name[..dot], name[(dot + 1)..]) : ((string?)null, name);
        if (!IsName(shortName) || (zone is not null && !IsName(zone)))
        {
            return null;
        }

        var found = await catalog.FindAsync(zone, shortName, cancellationToken).ConfigureAwait(false);
        if (found.Count > 1)
        {
            throw new QueryException($"'{name}' names {found.Count} tables ({string.Join(", ", found.Select(t => t.Name).Order(StringComparer.Ordinal))}): write the one you mean with its zone.");
        }

        if (found.Count == 0)
        {
            return null;
        }

        var entry = found[0];
        if (!_opened.TryGetValue(entry.Path, out var table))
        {
            table = await DeltaTable.OpenAsync(store, entry.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
            _opened[entry.Path] = table;
        }

        return (entry, table);
    }

    public Task<IReadOnlyList<CatalogTable>> ListAsync(CancellationToken cancellationToken) => catalog.ListAsync(cancellationToken);

    private static bool IsName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
