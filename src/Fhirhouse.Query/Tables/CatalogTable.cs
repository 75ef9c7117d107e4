namespace Fhirhouse.Query.Tables;

/// <summary>A table of the catalog: its qualified name <c>zone.table</c> and its folder in the store.</summary>
public sealed record CatalogTable(string Zone, string ShortName, string Path)
{
    /// <summary>The qualified name, <c>zone.table</c>.</summary>
    public string Name => Zone + "." + ShortName;

    /// <summary>True for a name no zone may have: DuckDB's own schemas and catalogs (ASCII case-insensitive).</summary>
    public static bool IsReservedZone(string zone) =>
        s_reserved.Contains(zone ?? throw new ArgumentNullException(nameof(zone)));

    private static readonly HashSet<string> s_reserved = new(["main", "temp", "pg_catalog", "information_schema", "system", "memory"], Sql.AsciiIgnoreCase.Comparer);
}
