using System.Buffers.Binary;

namespace Fhirhouse.Delta.DeletionVectors;

/// <summary>
/// The deleted row indexes of one data file, decoded from Delta's serialized RoaringBitmapArray (magic number
/// 1681511377, then 64-bit bucket count and, per bucket, a 32-bit key and a portable 32-bit Roaring bitmap).
/// </summary>
internal sealed class RoaringBitmapArray
{
    private const int Magic = 1681511377;
    private const int SerialCookieNoRun = 12346;
    private const int SerialCookie = 12347;
    private readonly HashSet<long> _rows;

    private RoaringBitmapArray(HashSet<long> rows) => _rows = rows;

    public int Count => _rows.Count;

    public bool Contains(long row) => _rows.Contains(row);

    public static RoaringBitmapArray Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12 || BinaryPrimitives.ReadInt32LittleEndian(data) != Magic)
        {
            throw new InvalidDataException("Deletion vector does not start with the RoaringBitmapArray magic number.");
        }

        var rows = new HashSet<long>();
        var buckets = BinaryPrimitives.ReadInt64LittleEndian(data[4..]);
        var pos = 12;
        for (long b = 0; b < buckets; b++)
        {
            var high = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]) << 32;
            pos += 4;
            pos += ReadRoaring(data[pos..], high, rows);
        }

        return new RoaringBitmapArray(rows);
    }

    private static int ReadRoaring(ReadOnlySpan<byte> data, long high, HashSet<long> rows)
    {
        var cookie = BinaryPrimitives.ReadInt32LittleEndian(data);
        var pos = 4;
        int size;
        ReadOnlySpan<byte> runFlags = default;
        bool hasOffsets;
        if ((cookie & 0xFFFF) == SerialCookie)
        {
            size = (cookie >>> 16) + 1;
            var flagBytes = (size + 7) / 8;
            runFlags = data.Slice(pos, flagBytes);
            pos += flagBytes;
            hasOffsets = size >= 4;
        }
        else if (cookie == SerialCookieNoRun)
        {
            size = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
            pos += 4;
            hasOffsets = true;
        }
        else
        {
            throw new InvalidDataException($"Unknown Roaring bitmap cookie {cookie}.");
        }

        var keys = new int[size];
        var cardinalities = new int[size];
        for (var i = 0; i < size; i++)
        {
            keys[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
            cardinalities[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]) + 1;
            pos += 4;
        }

        if (hasOffsets)
        {
            pos += 4 * size;
        }

        for (var i = 0; i < size; i++)
        {
            var baseValue = high | ((long)keys[i] << 16);
            var isRun = !runFlags.IsEmpty && (runFlags[i / 8] & (1 << (i % 8))) != 0;
            if (isRun)
            {
                int runs = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
                pos += 2;
                for (var r = 0; r < runs; r++)
                {
                    int start = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
                    int length = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
                    pos += 4;
                    for (var v = start; v <= start + length; v++)
                    {
                        rows.Add(baseValue | (uint)v);
                    }
                }
            }
            else if (cardinalities[i] <= 4096)
            {
                for (var c = 0; c < cardinalities[i]; c++)
                {
                    rows.Add(baseValue | BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]));
                    pos += 2;
                }
            }
            else
            {
                for (var w = 0; w < 1024; w++)
                {
                    var word = BinaryPrimitives.ReadUInt64LittleEndian(data[pos..]);
                    pos += 8;
                    while (word != 0)
                    {
                        var bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                        rows.Add(baseValue | (uint)((w * 64) + bit));
                        word &= word - 1;
                    }
                }
            }
        }

        return pos;
    }
}
