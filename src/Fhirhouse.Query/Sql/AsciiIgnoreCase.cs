namespace Fhirhouse.Query.Sql;

/// <summary>
/// Names equal when they differ only in the case of ASCII letters. DuckDB folds identifiers that way; a comparison that
/// folded more (Unicode case) could take a name for a CTE that DuckDB resolves elsewhere, so scope checks use this one.
/// </summary>
internal sealed class AsciiIgnoreCase : IEqualityComparer<string>
{
    public static AsciiIgnoreCase Comparer { get; } = new();

    public bool Equals(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        if (x.Length != y.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Length; i++)
        {
            var (a, b) = (x[i], y[i]);
            if (a != b && !(char.IsAsciiLetter(a) && char.IsAsciiLetter(b) && (a | 0x20) == (b | 0x20)))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(string obj)
    {
        var hash = new HashCode();
        foreach (var c in obj)
        {
            hash.Add(char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
        }

        return hash.ToHashCode();
    }
}
