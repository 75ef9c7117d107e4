namespace Fhirhouse.Query.Access;

/// <summary>A lake table a query names: its qualified name (<c>zone.table</c>, whatever name the SQL used), its Delta path and its columns (DuckDB types).</summary>
public sealed record TableAccessRequest(string Name, string Path, IReadOnlyList<QueryColumn> Columns)
{
    /// <summary>The table's name without its zone (<c>patient</c> for <c>views.patient</c>).</summary>
    public string ShortName => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];
}
