namespace Fhirhouse.Query.Access;

/// <summary>What a column mask does to each value.</summary>
public enum ColumnMaskKind
{
    /// <summary>Keyed HMAC-SHA256 of the value as text, lowercase hex (the same value gives the same hash, so joins still work).</summary>
    Hash,

    /// <summary>NULL of the column's type.</summary>
    Redact,

    /// <summary>A date or timestamp truncated to January 1st of its year; text (FHIR dates) cut to its first four characters.</summary>
    Year,

    /// <summary>The value as text cut to its first <see cref="ColumnMask.Length"/> characters (postcodes).</summary>
    Truncate,

    /// <summary>
    /// A DuckDB expression of the guard's (<see cref="ColumnMask.Template"/>) over the value, after
    /// <see cref="ColumnMask.Inner"/> when there is one; it may name the table's raw columns and the guard's functions.
    /// </summary>
    Expression,
}
