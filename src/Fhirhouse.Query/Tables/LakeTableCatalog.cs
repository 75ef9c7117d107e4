using Fhirhouse.Delta;
using Fhirhouse.Storage;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// Resolves the names a statement uses (<see cref="TableCatalogExtensions.ResolveAsync"/>: <c>zone.table</c> as
/// written, a short name while only one table has it) and keeps the tables opened, by folder. A qualified name,
/// which no other table can take, is resolved once; a short name is checked at each statement, so that a table added
/// later under the same short name is not shadowed.
/// </summary>
internal sealed class LakeTableCatalog(IObjectStore store, ITableCatalog catalog)
{
    private readonly Dictionary<string, DeltaTable> _opened = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CatalogTable> _qualified = new(Sql.AsciiIgnoreCase.Comparer);

    /// <summary>The table <paramref name="name"/> names (<c>table</c> or <c>zone.table</c>), or null when it names none.</summary>
    /// <exception cref="QueryException">A short name that several tables have.</exception>
    public async Task<(CatalogTable Entry, DeltaTable Table)?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var qualified = name.Contains('.', StringComparison.Ordinal);
        if (!qualified || !_qualified.TryGetValue(name, out var entry))
        {
            if (await catalog.ResolveAsync(name, cancellationToken).ConfigureAwait(false) is not { } resolved)
            {
                return null;
            }

            entry = resolved;
            if (qualified)
            {
                _qualified[name] = entry;
            }
        }

        if (!_opened.TryGetValue(entry.Path, out var table))
        {
            table = await DeltaTable.OpenAsync(store, entry.Path, cancellationToken: cancellationToken).ConfigureAwait(false);
            _opened[entry.Path] = table;
        }

        return (entry, table);
    }

    public Task<IReadOnlyList<CatalogTable>> ListAsync(CancellationToken cancellationToken) => catalog.ListAsync(cancellationToken);
}
