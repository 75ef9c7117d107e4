using Fhirhouse.Errors;

namespace Fhirhouse.Query.Tables;

/// <summary>The one rule for reading a table name against a catalog, for SQL and for any host command.</summary>
public static class TableCatalogExtensions
{
    /// <summary>
    /// The table <paramref name="name"/> names: <c>zone.table</c> as written, or a short name only one table has; null
    /// when it names none (or is not a table name at all).
    /// </summary>
    /// <exception cref="QueryException">A short name that several tables have (the message names them; a usage error).</exception>
    public static async Task<CatalogTable?> ResolveAsync(this ITableCatalog catalog, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var (zone, shortName) = dot > 0 ? (name[..dot], name[(dot + 1)..]) : ((string?)null, name);
        if (!IsName(shortName) || (zone is not null && !IsName(zone)))
        {
            return null;
        }

        var found = await catalog.FindAsync(zone, shortName, cancellationToken).ConfigureAwait(false);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new QueryException($"'{name}' names {found.Count} tables ({string.Join(", ", found.Select(t => t.Name).Order(StringComparer.Ordinal))}): write the one you mean with its zone.", kind: ErrorKind.Usage),
        };
    }

    private static bool IsName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
