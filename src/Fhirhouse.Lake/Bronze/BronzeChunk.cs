using System.Security.Cryptography;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Fhir.Resources;

namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// The bronze rows of one commit, kept by partition (resource type) as they arrive, each partition a Delta
/// <see cref="ColumnBatch"/> of <see cref="BronzeTable.DataSchema"/> written with <see cref="BronzeTable.WriteOptions"/>:
/// the resource JSON and the other strings as UTF-8 bytes in one native arena shared by the batches (memory follows the
/// chunk's rows, whatever the number of resource types), the numbers unboxed. Nothing is converted
/// to .NET strings or boxed on the way to Parquet. Reused chunk after chunk.
/// </summary>
internal sealed class BronzeChunk : IDisposable
{
    private static readonly int s_id = Column("id");
    private static readonly int s_versionId = Column("version_id");
    private static readonly int s_lastUpdated = Column("last_updated");
    private static readonly int s_deleted = Column("deleted");
    private static readonly int s_patientId = Column("patient_id");
    private static readonly int s_source = Column("source");
    private static readonly int s_rawKey = Column("raw_key");
    private static readonly int s_rawLine = Column("raw_line");
    private static readonly int s_contentHash = Column("content_hash");
    private static readonly int s_ingestedAt = Column("ingested_at");
    private static readonly int s_resource = Column("resource");

    private readonly NativeArena _arena = new();
    private readonly Dictionary<string, ColumnBatch> _partitions = new(StringComparer.Ordinal);

    /// <summary>Rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Native bytes reserved for values (reused from chunk to chunk).</summary>
    public long ReservedBytes => _arena.Reserved;

    /// <summary>The partitions with rows, by resource type.</summary>
    public IEnumerable<KeyValuePair<string, ColumnBatch>> Partitions => _partitions.Where(p => p.Value.Count > 0);

    /// <summary>
    /// One resource version as received, copied, with the SHA-256 of its bytes (<paramref name="sha256"/>, computed
    /// here when empty).
    /// </summary>
    public void AddResource(ResourceHeader header, ReadOnlySpan<byte> json, ReadOnlySpan<byte> sha256, string source, string rawKey, long line, DateTimeOffset ingestedAt)
    {
        var p = Partition(header.ResourceType);
        p[s_id].Append(header.Id);
        Text(p[s_versionId], header.VersionId);
        if (header.LastUpdated is { } t)
        {
            p[s_lastUpdated].Append(t);
        }
        else
        {
            p[s_lastUpdated].AppendNull();
        }

        p[s_deleted].Append(false);
        Text(p[s_patientId], header.PatientId);
        AddCommon(p, source, rawKey, line, ingestedAt);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (sha256.IsEmpty)
        {
            SHA256.HashData(json, digest);
        }
        else
        {
            sha256.CopyTo(digest);
        }

        Span<byte> hex = stackalloc byte[2 * SHA256.HashSizeInBytes];
        Convert.TryToHexStringLower(digest, hex, out _);
        p[s_contentHash].Append(hex);
        p[s_resource].Append(json);
        p.EndRow();
        Count++;
    }

    /// <summary>A deletion received from the source (no content).</summary>
    public void AddDeletion(string resourceType, string id, DateTimeOffset lastUpdated, string source, string rawKey, long line, DateTimeOffset ingestedAt)
    {
        var p = Partition(resourceType);
        p[s_id].Append(id);
        p[s_versionId].AppendNull();
        p[s_lastUpdated].Append(lastUpdated);
        p[s_deleted].Append(true);
        p[s_patientId].AppendNull();
        AddCommon(p, source, rawKey, line, ingestedAt);
        p[s_contentHash].AppendNull();
        p[s_resource].AppendNull();
        p.EndRow();
        Count++;
    }

    /// <summary>Forgets every row; the memory stays for the next chunk.</summary>
    public void Reset()
    {
        foreach (var partition in _partitions.Values)
        {
            partition.Clear();
        }

        _arena.Reset();
        Count = 0;
    }

    public void Dispose()
    {
        foreach (var partition in _partitions.Values)
        {
            partition.Dispose();
        }

        _arena.Dispose();
    }

    private static int Column(string name) => BronzeTable.DataSchema.IndexOf(name);

    private static void Text(ColumnBuffer column, string? value)
    {
        if (value is null)
        {
            column.AppendNull();
        }
        else
        {
            column.Append(value);
        }
    }

    private static void AddCommon(ColumnBatch p, string source, string rawKey, long line, DateTimeOffset ingestedAt)
    {
        // The same string instances row after row: each column stores their bytes once.
        p[s_source].Append(source);
        p[s_rawKey].Append(rawKey);
        p[s_rawLine].Append(line);
        p[s_ingestedAt].Append(ingestedAt);
    }

    private ColumnBatch Partition(string resourceType)
    {
        if (!_partitions.TryGetValue(resourceType, out var partition))
        {
            _partitions[resourceType] = partition = new ColumnBatch(BronzeTable.DataSchema, BronzeTable.WriteOptions, _arena);
        }

        return partition;
    }
}
