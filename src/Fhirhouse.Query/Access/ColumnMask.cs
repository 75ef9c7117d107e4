namespace Fhirhouse.Query.Access;

/// <summary>A mask on one column; <see cref="Length"/> is the kept prefix of <see cref="ColumnMaskKind.Truncate"/>.</summary>
public sealed record ColumnMask(ColumnMaskKind Kind, int Length = 0)
{
    public static ColumnMask Hash { get; } = new(ColumnMaskKind.Hash);

    public static ColumnMask Redact { get; } = new(ColumnMaskKind.Redact);

    public static ColumnMask Year { get; } = new(ColumnMaskKind.Year);

    public static ColumnMask Truncate(int length) =>
        length > 0 ? new(ColumnMaskKind.Truncate, length) : throw new ArgumentOutOfRangeException(nameof(length), length, "A truncation keeps at least one character.");
}
