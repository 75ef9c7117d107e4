namespace Fhirhouse.Query.Tables;

/// <summary>
/// The tables a query can name: each has one qualified name <c>zone.table</c> (<see cref="CatalogTable"/>) that SQL
/// accepts as written, and its short name where no other table has it. The lake implements it (its table definitions
/// and folders); the engine asks for nothing else about the lake's layout.
/// </summary>
public interface ITableCatalog
{
    /// <summary>The tables that exist now named <paramref name="name"/> in <paramref name="zone"/> (null: in any zone), ASCII case-insensitive.</summary>
    Task<IReadOnlyList<CatalogTable>> FindAsync(string? zone, string name, CancellationToken cancellationToken);

    /// <summary>Every table that exists now, by qualified name.</summary>
    Task<IReadOnlyList<CatalogTable>> ListAsync(CancellationToken cancellationToken);
}
