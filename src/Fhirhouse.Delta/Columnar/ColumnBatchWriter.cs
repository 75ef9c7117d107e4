using System.Buffers;
using System.Globalization;
using Encoding = System.Text.Encoding;
using System.Text.Json;
using Fhirhouse.Delta.Parquet;
using ParquetSharp;

namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// Writes a <see cref="ColumnBatch"/> as one Parquet file (the schema and Snappy compression of the row writer, one
/// row group) straight from its columns, and computes the file's Delta statistics from them by the row writer's rules:
/// min/max of text (UTF-8 byte order, <see cref="StatisticsRules"/>), long, double (NaN ignored) and timestamp columns
/// (in milliseconds, the minimum rounded down and the maximum up so both stay bounds); null counts of every column.
/// Columns whose <see cref="ColumnWriteOptions"/> turn statistics off get neither Parquet statistics nor bounds.
/// </summary>
internal static class ColumnBatchWriter
{
    public static void Write(ParquetSharp.IO.OutputStream output, ColumnBatch batch)
    {
        using var schema = ParquetSharpHandler.SchemaNode(batch.Schema);
        using var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy);
        for (var i = 0; i < batch.Options.Length; i++)
        {
            var options = batch.Options[i];
            if (!options.Dictionary)
            {
                builder.DisableDictionary(batch.Schema.Fields[i].Name);
            }

            if (!options.Statistics)
            {
                builder.DisableStatistics(batch.Schema.Fields[i].Name);
            }
        }

        using var properties = builder.Build();
        using var writer = new ParquetFileWriter(output, schema, properties);
        using (var group = writer.AppendRowGroup())
        {
            foreach (var column in batch.Columns)
            {
                using var target = group.NextColumn();
                WriteColumn(target, column);
            }
        }

        writer.Close();
    }

    private static void WriteColumn(ColumnWriter target, ColumnBuffer column)
    {
        switch (target)
        {
            case ColumnWriter<ByteArray> w:
                Write(w, column, column.Bytes);
                break;
            case ColumnWriter<long> w:
                Write(w, column, column.Longs);
                break;
            case ColumnWriter<double> w:
                Write(w, column, column.Doubles);
                break;
            case ColumnWriter<bool> w:
                Write(w, column, column.Booleans);
                break;
            default:
                throw new InvalidOperationException($"Unexpected Parquet column writer {target.GetType()} for '{column.Field.Name}'.");
        }
    }

    private static void Write<T>(ColumnWriter<T> writer, ColumnBuffer column, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (!column.HasLevels)
        {
            writer.WriteBatch(values);
        }
        else
        {
            writer.WriteBatch(column.LevelCount, column.DefinitionLevels, column.IsList ? column.RepetitionLevels : default, values);
        }
    }

    /// <summary>The protocol's statistics JSON of the batch.</summary>
    public static string Statistics(ColumnBatch batch)
    {
        var bounds = batch.Columns.Select((c, i) => batch.Options[i].Statistics ? Bounds(c) : (null, null)).ToList();
        var output = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", batch.Count);
            w.WriteStartObject("minValues");
            for (var i = 0; i < bounds.Count; i++)
            {
                Write(w, batch.Columns[i], bounds[i].Min);
            }

            w.WriteEndObject();
            w.WriteStartObject("maxValues");
            for (var i = 0; i < bounds.Count; i++)
            {
                Write(w, batch.Columns[i], bounds[i].Max);
            }

            w.WriteEndObject();
            w.WriteStartObject("nullCount");
            foreach (var column in batch.Columns)
            {
                w.WriteNumber(column.Field.Name, column.Nulls);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The bounds to record for a column, as JSON values (null when none may be): one pass over its values.</summary>
    private static (object? Min, object? Max) Bounds(ColumnBuffer column)
    {
        if (column.IsList || column.ValueCount == 0)
        {
            return (null, null);
        }

        switch (column.Kind)
        {
            case ColumnBuffer.ValueKind.Text:
                return StatisticsRules.TextBounds(column.Bytes);
            case ColumnBuffer.ValueKind.Long:
            {
                var (min, max) = LongBounds(column.Longs);
                return (min, max);
            }

            case ColumnBuffer.ValueKind.Timestamp:
            {
                var (min, max) = LongBounds(column.Longs);
                return (StatisticsRules.TimestampBound(min, max: false), StatisticsRules.TimestampBound(max, max: true));
            }

            case ColumnBuffer.ValueKind.Double:
            {
                double? min = null, max = null;
                foreach (var value in column.Doubles)
                {
                    if (!double.IsNaN(value))
                    {
                        min = min is { } m && m <= value ? m : value;
                        max = max is { } x && x >= value ? x : value;
                    }
                }

                return (min, max);
            }

            default:
                return (null, null);
        }
    }

    private static void Write(Utf8JsonWriter w, ColumnBuffer column, object? bound)
    {
        switch (bound)
        {
            case string text:
                w.WriteString(column.Field.Name, text);
                break;
            case long number:
                w.WriteNumber(column.Field.Name, number);
                break;
            case double number:
                w.WriteNumber(column.Field.Name, number);
                break;
        }
    }

    private static (long Min, long Max) LongBounds(ReadOnlySpan<long> values)
    {
        long min = values[0], max = values[0];
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }
}
