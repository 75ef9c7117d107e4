namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// How one plain (non-array) column of a <see cref="ColumnBatch"/> is written. <see cref="Dictionary"/> false: no
/// dictionary encoding (values that are all different, where a dictionary only costs). <see cref="Statistics"/> false:
/// no Parquet statistics and no minimum or maximum in the Delta log (its null count stays): bounds of such values
/// prune nothing, and computing them reads every byte.
/// </summary>
public sealed record ColumnWriteOptions(bool Dictionary = true, bool Statistics = true)
{
    /// <summary>Neither dictionary nor statistics: for large values that are all different (documents, hashes).</summary>
    public static ColumnWriteOptions Plain { get; } = new(Dictionary: false, Statistics: false);
}
