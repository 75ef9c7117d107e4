namespace Fhirhouse.Delta;

/// <summary>
/// A Parquet data file a caller has written itself under a table (at <see cref="DeltaTable.DataFileKey"/> of a path
/// from <see cref="DeltaTable.NewDataFilePath"/>), committed with <see cref="DeltaTable.AppendFilesAsync"/> or <see cref="DeltaTable.OverwriteFilesAsync"/>.
/// The file must hold the table's data columns (partition columns left out) with the Parquet types this library
/// writes; <paramref name="Stats"/> is the protocol's statistics JSON (numRecords, minValues, maxValues, nullCount).
/// </summary>
public sealed record DataFile(string RelativePath, IReadOnlyDictionary<string, string?> PartitionValues, long Size, string? Stats);
