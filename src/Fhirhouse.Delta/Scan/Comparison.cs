namespace Fhirhouse.Delta.Scan;

/// <summary>How a column compares with a constant in a <see cref="Operations.RowPredicate.Compare"/> (a null never matches).</summary>
public enum Comparison
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
