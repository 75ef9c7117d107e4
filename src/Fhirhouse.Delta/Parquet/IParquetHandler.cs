using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Parquet;

/// <summary>Reads and writes Parquet data files and checkpoints as Delta row values, over an object store.</summary>
internal interface IParquetHandler
{
    /// <summary>
    /// The rows of one file in file order, one batch per row group, shaped as <paramref name="schema"/> (absent columns
    /// read as null).
    /// </summary>
    IAsyncEnumerable<List<object?[]>> ReadBatchesAsync(string key, StructType schema, ColumnMappingMode mode, CancellationToken cancellationToken);

    /// <summary>Writes the rows as one file (snappy) and returns its size in bytes.</summary>
    Task<long> WriteAsync(string key, StructType schema, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);
}
