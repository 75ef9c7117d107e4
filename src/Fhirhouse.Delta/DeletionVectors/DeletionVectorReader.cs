using System.Buffers.Binary;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta.DeletionVectors;

/// <summary>Loads the deleted rows a deletion vector descriptor points to (inline, by UUID beside the table, or by path).</summary>
internal static class DeletionVectorReader
{
    public static async Task<RoaringBitmapArray> ReadAsync(IObjectStore store, string tablePath, DeletionVectorDescriptor dv, CancellationToken cancellationToken)
    {
        RoaringBitmapArray bitmap;
        switch (dv.StorageType)
        {
            case "i":
                bitmap = RoaringBitmapArray.Deserialize(Z85.Decode(dv.PathOrInlineDv).AsSpan(0, dv.SizeInBytes));
                break;
            case "u" or "p":
                var key = dv.StorageType == "u" ? KeyOfUuid(tablePath, dv.PathOrInlineDv) : DeltaPath.KeyOf(tablePath, dv.PathOrInlineDv);
                var offset = dv.Offset ?? 1;
                var buffer = new byte[dv.SizeInBytes + 4];
                var read = await store.ReadRangeAsync(key, offset, buffer, cancellationToken).ConfigureAwait(false);
                if (read != buffer.Length || BinaryPrimitives.ReadInt32BigEndian(buffer) != dv.SizeInBytes)
                {
                    throw new DeltaProtocolException(key, $"deletion vector at offset {offset} does not hold {dv.SizeInBytes} bytes.");
                }

                bitmap = RoaringBitmapArray.Deserialize(buffer.AsSpan(4, dv.SizeInBytes));
                break;
            default:
                throw new DeltaProtocolException(tablePath, $"unknown deletion vector storage type '{dv.StorageType}'.");
        }

        if (bitmap.Count != dv.Cardinality)
        {
            throw new DeltaProtocolException(tablePath, $"deletion vector holds {bitmap.Count} rows but its descriptor says {dv.Cardinality}.");
        }

        return bitmap;
    }

    private static string KeyOfUuid(string tablePath, string pathOrInline)
    {
        var prefix = pathOrInline[..^20];
        var uuid = new Guid(Z85.Decode(pathOrInline[^20..]), bigEndian: true);
        var name = $"deletion_vector_{uuid:D}.bin";
        var relative = prefix.Length == 0 ? name : prefix + "/" + name;
        return tablePath.Length == 0 ? relative : tablePath.TrimEnd('/') + "/" + relative;
    }
}
