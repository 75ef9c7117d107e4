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
/// </summary>
internal static class ColumnBatchWriter
{
    public static void Write(Stream output, ColumnBatch batch)
    {
        using var schema = ParquetSharpHandler.SchemaNode(batch.Schema);
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build();
        using var writer = new ParquetFileWriter(output, schema, properties, keyValueMetadata: null, leaveOpen: true);
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
        var output = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", batch.Count);
            Bounds(w, batch, max: false);
            Bounds(w, batch, max: true);
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

    private static void Bounds(Utf8JsonWriter w, ColumnBatch batch, bool max)
    {
        w.WriteStartObject(max ? "maxValues" : "minValues");
        foreach (var column in batch.Columns)
        {
            if (column.IsList || column.ValueCount == 0)
            {
                continue;
            }

            var name = column.Field.Name;
            switch (column.Kind)
            {
                case ColumnBuffer.ValueKind.Text:
                    TextBound(w, name, column.Bytes, max);
                    break;
                case ColumnBuffer.ValueKind.Long:
                    w.WriteNumber(name, Best(column.Longs, max));
                    break;
                case ColumnBuffer.ValueKind.Timestamp:
                    w.WriteString(name, TimestampBound(Best(column.Longs, max), max));
                    break;
                case ColumnBuffer.ValueKind.Double:
                    if (Best(column.Doubles, max) is { } best)
                    {
                        w.WriteNumber(name, best);
                    }

                    break;
            }
        }

        w.WriteEndObject();
    }

    private static unsafe void TextBound(Utf8JsonWriter w, string name, ReadOnlySpan<ByteArray> values, bool max)
    {
        var best = Span(values[0]);
        for (var i = 1; i < values.Length; i++)
        {
            var candidate = Span(values[i]);
            var order = candidate.SequenceCompareTo(best);
            if (max ? order > 0 : order < 0)
            {
                best = candidate;
            }
        }

        var text = Encoding.UTF8.GetString(best);
        if ((max ? StatisticsRules.Max(text) : StatisticsRules.Min(text)) is { } bound)
        {
            w.WriteString(name, bound);
        }

        static ReadOnlySpan<byte> Span(ByteArray value) => new((void*)value.Pointer, value.Length);
    }

    private static long Best(ReadOnlySpan<long> values, bool max)
    {
        var best = values[0];
        foreach (var value in values)
        {
            best = max ? Math.Max(best, value) : Math.Min(best, value);
        }

        return best;
    }

    private static double? Best(ReadOnlySpan<double> values, bool max)
    {
        double? best = null;
        foreach (var value in values)
        {
            if (!double.IsNaN(value) && (best is not { } b || (max ? value > b : value < b)))
            {
                best = value;
            }
        }

        return best;
    }

    /// <summary>A timestamp bound in milliseconds: the minimum rounded down, the maximum up, so both stay bounds.</summary>
    internal static string TimestampBound(long micros, bool max)
    {
        var ms = Math.DivRem(micros, 1000, out var rest) + (rest < 0 && !max ? -1 : rest > 0 && max ? 1 : 0);
        return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
