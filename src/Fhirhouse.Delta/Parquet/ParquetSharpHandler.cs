using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Fhirhouse.Delta.Parquet.Reading;
using Fhirhouse.Delta.Parquet.Writing;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;
using ParquetSharp;
using ParquetSharp.Schema;

namespace Fhirhouse.Delta.Parquet;

/// <summary>Parquet through ParquetSharp, with every byte going through the object store.</summary>
internal sealed class ParquetSharpHandler(IObjectStore store) : IParquetHandler
{
    private const int RowGroupRows = 1 << 20;

    public async IAsyncEnumerable<List<object?[]>> ReadBatchesAsync(string key, StructType schema, ColumnMappingMode mode, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (var file = await NativeParquetFile.OpenAsync(store, key, cancellationToken).ConfigureAwait(false))
        {
            using var batches = ParquetFileReading.ReadRowGroups(file.Reader, schema, mode).GetEnumerator();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (!batches.MoveNext())
                    {
                        break;
                    }
                }
                catch (ParquetException e)
                {
                    throw new InvalidDataException($"'{key}' is not a readable Parquet file: {e.Message}", e);
                }

                yield return batches.Current;
            }
        }
    }

    public async Task<long> WriteAsync(string key, StructType schema, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        return await NativeParquetOutput.PutAsync(store, key, output => Write(output, schema, rows), cancellationToken).ConfigureAwait(false);
    }

    internal static void Write(ParquetSharp.IO.OutputStream output, StructType schema, IReadOnlyList<object?[]> rows)
    {
        using var groupNode = SchemaNode(schema);
        using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build();
        using var writer = new ParquetFileWriter(output, groupNode, properties);
        for (var start = 0; start < rows.Count || (start == 0 && rows.Count == 0); start += RowGroupRows)
        {
            var shred = RowShredder.Build(schema);
            var end = Math.Min(rows.Count, start + RowGroupRows);
            for (var r = start; r < end; r++)
            {
                RowShredder.AddRow(shred, rows[r]);
            }

            using var rowGroup = writer.AppendRowGroup();
            using var byteBuffer = new ByteBuffer(1 << 16);
            foreach (var leaf in shred.Leaves())
            {
                using var column = rowGroup.NextColumn();
                WriteLeaf(column, leaf, byteBuffer);
            }

            if (rows.Count == 0)
            {
                break;
            }
        }

        writer.Close();
    }

    /// <summary>The Parquet schema this library writes for a table's data columns.</summary>
    internal static GroupNode SchemaNode(StructType schema) => (GroupNode)ToParquet(RowShredder.Build(schema), isRoot: true);

    private static Node ToParquet(ShredNode node, bool isRoot = false)
    {
        var repetition = isRoot ? Repetition.Required
            : node.Repeated ? Repetition.Repeated
            : node.Optional ? Repetition.Optional : Repetition.Required;
        if (!node.IsLeaf)
        {
            var children = node.Children.Select(c => ToParquet(c)).ToArray();
            try
            {
                LogicalType? logical = node.Type switch
                {
                    ArrayType when repetition != Repetition.Repeated => LogicalType.List(),
                    MapType when repetition != Repetition.Repeated => LogicalType.Map(),
                    _ => null,
                };
                return new GroupNode(node.Name, repetition, children, logical);
            }
            finally
            {
                foreach (var child in children)
                {
                    child.Dispose();
                }
            }
        }

        var (physical, logicalType, length) = PhysicalOf(node.Type);
        return new PrimitiveNode(node.Name, repetition, logicalType, physical, length);
    }

    private static (PhysicalType Physical, LogicalType Logical, int Length) PhysicalOf(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.String => (PhysicalType.ByteArray, LogicalType.String(), -1),
        PrimitiveType p when p == PrimitiveType.Binary => (PhysicalType.ByteArray, LogicalType.None(), -1),
        PrimitiveType p when p == PrimitiveType.Long => (PhysicalType.Int64, LogicalType.None(), -1),
        PrimitiveType p when p == PrimitiveType.Integer => (PhysicalType.Int32, LogicalType.None(), -1),
        PrimitiveType p when p == PrimitiveType.Short => (PhysicalType.Int32, LogicalType.Int(16, true), -1),
        PrimitiveType p when p == PrimitiveType.Byte => (PhysicalType.Int32, LogicalType.Int(8, true), -1),
        PrimitiveType p when p == PrimitiveType.Float => (PhysicalType.Float, LogicalType.None(), -1),
        PrimitiveType p when p == PrimitiveType.Double => (PhysicalType.Double, LogicalType.None(), -1),
        PrimitiveType p when p == PrimitiveType.Boolean => (PhysicalType.Boolean, LogicalType.None(), -1),
        PrimitiveType p when p == PrimitiveType.Date => (PhysicalType.Int32, LogicalType.Date(), -1),
        PrimitiveType p when p == PrimitiveType.Timestamp => (PhysicalType.Int64, LogicalType.Timestamp(true, TimeUnit.Micros), -1),
        PrimitiveType p when p == PrimitiveType.TimestampNtz => (PhysicalType.Int64, LogicalType.Timestamp(false, TimeUnit.Micros), -1),
        DecimalType d when d.Precision <= 9 => (PhysicalType.Int32, LogicalType.Decimal(d.Precision, d.Scale), -1),
        DecimalType d when d.Precision <= 18 => (PhysicalType.Int64, LogicalType.Decimal(d.Precision, d.Scale), -1),
        DecimalType d => (PhysicalType.FixedLenByteArray, LogicalType.Decimal(d.Precision, d.Scale), DecimalBytes(d.Precision)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No Parquet type for this Delta type."),
    };

    private static int DecimalBytes(int precision)
    {
        var max = BigInteger.Pow(10, precision);
        var bytes = 1;
        while (BigInteger.Pow(2, (8 * bytes) - 1) < max)
        {
            bytes++;
        }

        return bytes;
    }

    private static void WriteLeaf(ColumnWriter column, ShredNode leaf, ByteBuffer byteBuffer)
    {
        var def = CollectionsMarshal.AsSpan(leaf.DefLevels);
        var rep = CollectionsMarshal.AsSpan(leaf.RepLevels);
        var values = leaf.Values;
        var count = def.Length;
        var type = leaf.Type;
        switch (column)
        {
            case ColumnWriter<bool> w:
                w.WriteBatch(count, def, rep, values.Select(v => (bool)v).ToArray());
                break;
            case ColumnWriter<int> w:
                var toInt32 = Int32Writer(type);
                w.WriteBatch(count, def, rep, values.Select(toInt32).ToArray());
                break;
            case ColumnWriter<long> w:
                var toInt64 = Int64Writer(type);
                w.WriteBatch(count, def, rep, values.Select(toInt64).ToArray());
                break;
            case ColumnWriter<float> w:
                w.WriteBatch(count, def, rep, values.Select(v => Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                break;
            case ColumnWriter<double> w:
                w.WriteBatch(count, def, rep, values.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                break;
            case ColumnWriter<ByteArray> w:
                w.WriteBatch(count, def, rep, values.Select(v => v is string s ? Allocate(byteBuffer, s) : Allocate(byteBuffer, (byte[])v)).ToArray());
                break;
            case ColumnWriter<FixedLenByteArray> w:
                var length = DecimalBytes(((DecimalType)type).Precision);
                w.WriteBatch(count, def, rep, values.Select(v => new FixedLenByteArray(Allocate(byteBuffer, DecimalBigEndian(v, (DecimalType)type, length)).Pointer)).ToArray());
                break;
            default:
                throw new InvalidOperationException($"Unexpected Parquet column writer {column.GetType()} for '{leaf.Name}'.");
        }
    }

    private static Func<object, int> Int32Writer(DeltaType type)
    {
        var epochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        return type switch
        {
            PrimitiveType p when p == PrimitiveType.Date => value => value switch
            {
                DateOnly d => d.DayNumber - epochDay,
                DateTime dt => DateOnly.FromDateTime(dt).DayNumber - epochDay,
                _ => throw new ArgumentException($"A date column takes DateOnly values, not {value.GetType()}."),
            },
            DecimalType d => value => (int)DecimalValue.ToUnscaled(value, d.Scale),
            _ => static value => value as int? ?? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static Func<object, long> Int64Writer(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Timestamp || p == PrimitiveType.TimestampNtz => static value => value switch
        {
            DateTimeOffset t => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
            DateTime t => (t.Ticks - DateTime.UnixEpoch.Ticks) / 10,
            _ => throw new ArgumentException($"A timestamp column takes DateTimeOffset values, not {value.GetType()}."),
        },
        DecimalType d => value => (long)DecimalValue.ToUnscaled(value, d.Scale),
        _ => static value => value as long? ?? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static byte[] DecimalBigEndian(object value, DecimalType type, int length)
    {
        var unscaled = DecimalValue.ToUnscaled(value, type.Scale);
        var bytes = new byte[length];
        if (unscaled.Sign < 0)
        {
            Array.Fill(bytes, (byte)0xFF);
        }

        var raw = unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        raw.CopyTo(bytes.AsSpan(length - raw.Length));
        return bytes;
    }

    private static unsafe ByteArray Allocate(ByteBuffer buffer, string text)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        var array = buffer.Allocate(length);
        if (length > 0)
        {
            System.Text.Encoding.UTF8.GetBytes(text, new Span<byte>((void*)array.Pointer, length));
        }

        return array;
    }

    private static unsafe ByteArray Allocate(ByteBuffer buffer, byte[] bytes)
    {
        var array = buffer.Allocate(bytes.Length);
        if (bytes.Length > 0)
        {
            bytes.CopyTo(new Span<byte>((void*)array.Pointer, bytes.Length));
        }

        return array;
    }
}
