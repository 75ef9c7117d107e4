using Encoding = System.Text.Encoding;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Parquet;
using ParquetSharp;
using ParquetSharp.Schema;

namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// Writes the partitions of a <see cref="BronzeChunk"/> as bronze data files (one Parquet file per resource type, the
/// Parquet types the Delta writer uses, Snappy; no dictionary and no page statistics for the resource and hash
/// columns, whose values are all different) straight from the chunk's columns, with the Delta statistics of each file.
/// </summary>
internal static class BronzeFileWriter
{
    /// <summary>Writes and stores every partition of <paramref name="chunk"/>; returns the files to commit.</summary>
    public static async Task<IReadOnlyList<DataFile>> WriteAsync(DeltaTable table, BronzeChunk chunk, CancellationToken cancellationToken)
    {
        var files = new List<DataFile>();
        foreach (var (resourceType, partition) in chunk.Partitions)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["resource_type"] = resourceType };
            var path = DeltaTable.NewDataFilePath(values);
            var size = await NativeParquetOutput.PutAsync(table.Store, table.DataFileKey(path), output => WriteParquet(output, partition), cancellationToken).ConfigureAwait(false);
            files.Add(new DataFile(path, values, size, Statistics(partition)));
        }

        return files;
    }

    private static void WriteParquet(ParquetSharp.IO.OutputStream output, BronzePartition p)
    {
        using var schema = Schema();
        using var properties = new WriterPropertiesBuilder()
            .Compression(Compression.Snappy)
            .DisableDictionary("resource")
            .DisableDictionary("content_hash")
            .DisableStatistics("resource")
            .Build();
        using var writer = new ParquetFileWriter(output, schema, properties);
        using (var group = writer.AppendRowGroup())
        {
            var rows = p.Count;
            Bytes(group, p.Id, rows);
            Bytes(group, p.VersionId, rows);
            using (var column = (ColumnWriter<long>)group.NextColumn())
            {
                column.WriteBatch(rows, p.LastUpdated.Levels, default, p.LastUpdated.Values);
            }

            using (var column = (ColumnWriter<bool>)group.NextColumn())
            {
                column.WriteBatch(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p.Deleted));
            }

            Bytes(group, p.PatientId, rows);
            Bytes(group, p.Source, rows);
            Bytes(group, p.RawKey, rows);
            using (var column = (ColumnWriter<long>)group.NextColumn())
            {
                column.WriteBatch(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p.RawLine));
            }

            Bytes(group, p.ContentHash, rows);
            using (var column = (ColumnWriter<long>)group.NextColumn())
            {
                column.WriteBatch(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p.IngestedAt));
            }

            Bytes(group, p.Resource, rows);
        }

        writer.Close();
    }

    private static void Bytes(RowGroupWriter group, BytesColumn values, int rows)
    {
        using var column = (ColumnWriter<ByteArray>)group.NextColumn();
        if (values.Nullable)
        {
            column.WriteBatch(rows, values.Levels, default, values.Values);
        }
        else
        {
            column.WriteBatch(values.Values);
        }
    }

    /// <summary>Bronze's data columns (resource_type is the partition column, kept in the log), as the Delta writer types them.</summary>
    private static GroupNode Schema()
    {
        Node[] fields =
        [
            Text("id", Repetition.Required),
            Text("version_id", Repetition.Optional),
            Timestamp("last_updated", Repetition.Optional),
            new PrimitiveNode("deleted", Repetition.Required, LogicalType.None(), PhysicalType.Boolean),
            Text("patient_id", Repetition.Optional),
            Text("source", Repetition.Required),
            Text("raw_key", Repetition.Required),
            new PrimitiveNode("raw_line", Repetition.Required, LogicalType.None(), PhysicalType.Int64),
            Text("content_hash", Repetition.Optional),
            Timestamp("ingested_at", Repetition.Required),
            Text("resource", Repetition.Optional),
        ];
        try
        {
            return new GroupNode("schema", Repetition.Required, fields);
        }
        finally
        {
            foreach (var field in fields)
            {
                field.Dispose();
            }
        }
    }

    private static PrimitiveNode Text(string name, Repetition repetition) =>
        new(name, repetition, LogicalType.String(), PhysicalType.ByteArray);

    private static PrimitiveNode Timestamp(string name, Repetition repetition) =>
        new(name, repetition, LogicalType.Timestamp(true, TimeUnit.Micros), PhysicalType.Int64);

    /// <summary>The protocol's statistics of one file, by the same rules as the Delta writer (<see cref="StatisticsRules"/>).</summary>
    private static string Statistics(BronzePartition p)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", p.Count);
            var text = new Dictionary<string, (string Min, string? Max)>(StringComparer.Ordinal);
            foreach (var (name, column) in new[] { ("id", p.Id), ("version_id", p.VersionId), ("patient_id", p.PatientId), ("source", p.Source), ("raw_key", p.RawKey), ("content_hash", p.ContentHash) })
            {
                if (!column.Values.IsEmpty)
                {
                    text[name] = StatisticsRules.TextBounds(column.Values);
                }
            }

            Bounds(w, p, text, max: false);
            Bounds(w, p, text, max: true);

            w.WriteStartObject("nullCount");
            w.WriteNumber("id", 0);
            w.WriteNumber("version_id", p.VersionId.Nulls);
            w.WriteNumber("last_updated", p.LastUpdated.Nulls);
            w.WriteNumber("deleted", 0);
            w.WriteNumber("patient_id", p.PatientId.Nulls);
            w.WriteNumber("source", 0);
            w.WriteNumber("raw_key", 0);
            w.WriteNumber("raw_line", 0);
            w.WriteNumber("content_hash", p.ContentHash.Nulls);
            w.WriteNumber("ingested_at", 0);
            w.WriteNumber("resource", p.Resource.Nulls);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void Bounds(Utf8JsonWriter w, BronzePartition p, Dictionary<string, (string Min, string? Max)> text, bool max)
    {
        w.WriteStartObject(max ? "maxValues" : "minValues");
        Bound(w, "id", text, max);
        Bound(w, "version_id", text, max);
        Bound(w, "last_updated", p.LastUpdated.Values, max);
        Bound(w, "patient_id", text, max);
        Bound(w, "source", text, max);
        Bound(w, "raw_key", text, max);
        Bound(w, "raw_line", System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p.RawLine), max, time: false);
        Bound(w, "content_hash", text, max);
        Bound(w, "ingested_at", System.Runtime.InteropServices.CollectionsMarshal.AsSpan(p.IngestedAt), max);
        w.WriteEndObject();
    }

    private static void Bound(Utf8JsonWriter w, string name, Dictionary<string, (string Min, string? Max)> text, bool max)
    {
        if (text.TryGetValue(name, out var bounds) && (max ? bounds.Max : bounds.Min) is { } bound)
        {
            w.WriteString(name, bound);
        }
    }

    private static void Bound(Utf8JsonWriter w, string name, ReadOnlySpan<long> values, bool max, bool time = true)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var best = values[0];
        foreach (var value in values)
        {
            best = max ? Math.Max(best, value) : Math.Min(best, value);
        }

        if (time)
        {
            w.WriteString(name, StatisticsRules.TimestampBound(best, max));
        }
        else
        {
            w.WriteNumber(name, best);
        }
    }
}
