using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Parquet;

/// <summary>Reading a whole (small) Parquet file at once: checkpoints, and files that DML rewrites.</summary>
internal static class ParquetHandlerExtensions
{
    public static async Task<List<object?[]>> ReadAsync(this IParquetHandler handler, string key, StructType schema, ColumnMappingMode mode, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var batch in handler.ReadBatchesAsync(key, schema, mode, cancellationToken).ConfigureAwait(false))
        {
            rows.AddRange(batch);
        }

        return rows;
    }
}
