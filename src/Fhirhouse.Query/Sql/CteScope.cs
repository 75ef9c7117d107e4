namespace Fhirhouse.Query.Sql;

/// <summary>The CTE names in scope at a point of a statement, innermost first; null is the empty scope.</summary>
internal sealed record CteScope(string Name, CteScope? Outer)
{
    /// <summary>True when a CTE named <paramref name="name"/> (ASCII case folded, as DuckDB does) is in <paramref name="scope"/>.</summary>
    public static bool Contains(CteScope? scope, string name)
    {
        for (var s = scope; s is not null; s = s.Outer)
        {
            if (AsciiIgnoreCase.Comparer.Equals(s.Name, name))
            {
                return true;
            }
        }

        return false;
    }
}
