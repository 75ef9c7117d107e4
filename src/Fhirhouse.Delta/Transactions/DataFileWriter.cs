using System.Globalization;
using System.Text;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// Writes rows as data files of a table: Parquet files per partition (Hive-style folders) of at most
/// <c>maxRowsPerFile</c> rows each, the partition columns left out of the file and recorded in the add action, with
/// statistics. Rows stream through: only one unfinished file per partition is held in memory.
/// </summary>
internal sealed class DataFileWriter(IParquetHandler parquet, string tablePath, Metadata metadata, TimeProvider time, int maxRowsPerFile)
{
    private const string NullPartition = "__HIVE_DEFAULT_PARTITION__";

    public async Task<List<AddFile>> WriteAsync(IEnumerable<object?[]> rows, string directory, string prefix, CancellationToken cancellationToken)
    {
        var schema = metadata.Schema;
        var partitionIndexes = metadata.PartitionColumns.Select(c => IndexOf(schema, c)).ToArray();
        var dataIndexes = Enumerable.Range(0, schema.Fields.Count).Where(i => !partitionIndexes.Contains(i)).ToArray();
        var dataSchema = new StructType(dataIndexes.Select(i => schema.Fields[i]).ToList());
        // Rows are grouped by the text of their partition values (one string per row); a group's folder is built once.
        var groups = new Dictionary<string, (string Folder, Dictionary<string, string?> Values, List<object?[]> Rows)>(StringComparer.Ordinal);
        var adds = new List<AddFile>();
        foreach (var row in rows)
        {
            if (row.Length != schema.Fields.Count)
            {
                throw new ArgumentException($"A row has {row.Length} values but table '{tablePath}' has {schema.Fields.Count} columns.", nameof(rows));
            }

            var text = partitionIndexes.Length switch
            {
                0 => "",
                1 => PartitionValueParser.Format(row[partitionIndexes[0]]) ?? NullPartition,
                _ => string.Join('\u0001', partitionIndexes.Select(i => PartitionValueParser.Format(row[i]) ?? NullPartition)),
            };
            if (!groups.TryGetValue(text, out var group))
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var index in partitionIndexes)
                {
                    values[schema.Fields[index].Name] = PartitionValueParser.Format(row[index]);
                }

                groups[text] = group = (Folder(values), values, []);
            }

            group.Rows.Add(partitionIndexes.Length == 0 ? row : DataValues(row, dataIndexes));
            if (group.Rows.Count >= maxRowsPerFile)
            {
                adds.Add(await WriteFileAsync(directory + group.Folder, prefix, group.Values, dataSchema, group.Rows, cancellationToken).ConfigureAwait(false));
                group.Rows.Clear();
            }
        }

        foreach (var group in groups.Values)
        {
            if (group.Rows.Count > 0)
            {
                adds.Add(await WriteFileAsync(directory + group.Folder, prefix, group.Values, dataSchema, group.Rows, cancellationToken).ConfigureAwait(false));
            }
        }

        return adds;
    }

    private static object?[] DataValues(object?[] row, int[] dataIndexes)
    {
        var data = new object?[dataIndexes.Length];
        for (var d = 0; d < data.Length; d++)
        {
            data[d] = row[dataIndexes[d]];
        }

        return data;
    }

    private async Task<AddFile> WriteFileAsync(
        string folder,
        string prefix,
        Dictionary<string, string?> partitionValues,
        StructType dataSchema,
        List<object?[]> rows,
        CancellationToken cancellationToken)
    {
        var relative = $"{folder}{prefix}-{Guid.NewGuid():D}-c000.snappy.parquet";
        var key = tablePath.Length == 0 ? relative : tablePath + "/" + relative;
        var size = await parquet.WriteAsync(key, dataSchema, rows, cancellationToken).ConfigureAwait(false);
        return new AddFile(DeltaPath.Encode(relative), partitionValues, size, time.GetUtcNow().ToUnixTimeMilliseconds(), true,
            StatisticsCollector.Collect(dataSchema, rows));
    }

    /// <summary>The Hive-style folder of partition values ("" when none), e.g. <c>resource_type=Patient/</c>.</summary>
    public static string Folder(IEnumerable<KeyValuePair<string, string?>> partitionValues)
    {
        var folder = new StringBuilder();
        foreach (var (name, text) in partitionValues)
        {
            folder.Append(name).Append('=').Append(text is null ? NullPartition : Escape(text)).Append('/');
        }

        return folder.ToString();
    }

    private static int IndexOf(StructType schema, string column)
    {
        var index = schema.IndexOf(column);
        return index >= 0 ? index : throw new ArgumentException($"Partition column '{column}' is not in the schema.");
    }

    /// <summary>Hive's escaping of partition folder values.</summary>
    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".Contains(c, StringComparison.Ordinal))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
