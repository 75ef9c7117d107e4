namespace Fhirhouse.Query.Access;

/// <summary>
/// A mask on one column; <see cref="Length"/> is the kept prefix of <see cref="ColumnMaskKind.Truncate"/>;
/// <see cref="Template"/> and <see cref="Inner"/> make an <see cref="ColumnMaskKind.Expression"/>.
/// </summary>
public sealed record ColumnMask(ColumnMaskKind Kind, int Length = 0, string? Template = null, ColumnMask? Inner = null)
{
    /// <summary>Where the value goes in an expression's <see cref="Template"/>.</summary>
    public const string ValuePlaceholder = "{value}";

    public static ColumnMask Hash { get; } = new(ColumnMaskKind.Hash);

    public static ColumnMask Redact { get; } = new(ColumnMaskKind.Redact);

    public static ColumnMask Year { get; } = new(ColumnMaskKind.Year);

    public static ColumnMask Truncate(int length) =>
        length > 0 ? new(ColumnMaskKind.Truncate, length) : throw new ArgumentOutOfRangeException(nameof(length), length, "A truncation keeps at least one character.");

    /// <summary>
    /// The DuckDB expression <paramref name="template"/> of the value (written <see cref="ValuePlaceholder"/>), applied
    /// after <paramref name="inner"/> when given. The expression must keep the column's type, or that of the inner mask.
    /// </summary>
    public static ColumnMask Expression(string template, ColumnMask? inner = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Contains(ValuePlaceholder, StringComparison.Ordinal)
            ? new(ColumnMaskKind.Expression, 0, template, inner)
            : throw new ArgumentException($"A mask expression holds {ValuePlaceholder} where the value goes.", nameof(template));
    }
}
