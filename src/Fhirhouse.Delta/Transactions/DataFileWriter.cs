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
        var groups = new Dictionary<string, (Dictionary<string, string?> Values, List<object?[]> Rows)>(StringComparer.Ordinal);
        var adds = new List<AddFile>();
        var byText = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Length != schema.Fields.Count)
            {
                throw new ArgumentException($"A row has {row.Length} values but table '{tablePath}' has {schema.Fields.Count} columns.", nameof(rows));
            }

            if (partitionIndexes.Length == 0)
            {
                if (!groups.TryGetValue("", out var single))
                {
                    groups[""] = single = (new Dictionary<string, string?>(StringComparer.Ordinal), []);
                }

                single.Rows.Add(row);
                if (single.Rows.Count >= maxRowsPerFile)
                {
                    adds.Add(await WriteFileAsync(directory, prefix, single.Values, dataSchema, single.Rows, cancellationToken).ConfigureAwait(false));
                    single.Rows.Clear();
                }

                continue;
            }

            // The group is found by the partition values' text (one string per row); its folder is built once.
            var text = partitionIndexes.Length == 1
                ? PartitionValueParser.Format(row[partitionIndexes[0]]) ?? NullPartition
                : string.Join('\u0001', partitionIndexes.Select(i => PartitionValueParser.Format(row[i]) ?? NullPartition));
            if (!byText.TryGetValue(text, out var key))
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var index in partitionIndexes)
                {
                    values[schema.Fields[index].Name] = PartitionValueParser.Format(row[index]);
                }

                byText[text] = key = Folder(values);
                groups[key] = (values, []);
            }

            var group = groups[key];
            var data = new object?[dataIndexes.Length];
            for (var d = 0; d < data.Length; d++)
            {
                data[d] = row[dataIndexes[d]];
            }

            group.Rows.Add(data);
            if (group.Rows.Count >= maxRowsPerFile)
            {
                adds.Add(await WriteFileAsync(directory + key, prefix, group.Values, dataSchema, group.Rows, cancellationToken).ConfigureAwait(false));
                group.Rows.Clear();
            }
        }

        foreach (var (folder, group) in groups)
        {
            if (group.Rows.Count > 0)
            {
                adds.Add(await WriteFileAsync(directory + folder, prefix, group.Values, dataSchema, group.Rows, cancellationToken).ConfigureAwait(false));
            }
        }

        return adds;
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
