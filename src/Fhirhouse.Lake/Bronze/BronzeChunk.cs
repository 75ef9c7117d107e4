using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Delta.Columnar;
using ParquetSharp;

namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// The bronze rows of one commit, kept by column and by partition (resource type) as they arrive: the resource JSON
/// and the other strings as UTF-8 bytes in a <see cref="NativeArena"/>, the numbers unboxed. Nothing is converted
/// to .NET strings or boxed on the way to Parquet (<see cref="BronzeFileWriter"/>). Reused chunk after chunk.
/// </summary>
internal sealed class BronzeChunk : IDisposable
{
    private readonly NativeArena _arena = new();
    private readonly Dictionary<string, BronzePartition> _partitions = new(StringComparer.Ordinal);
    private string? _source;
    private ByteArray _sourceBytes;
    private string? _rawKey;
    private ByteArray _rawKeyBytes;

    /// <summary>Rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Native bytes reserved for values (reused from chunk to chunk).</summary>
    public long ReservedBytes => _arena.Reserved;

    /// <summary>The partitions with rows, by resource type.</summary>
    public IEnumerable<KeyValuePair<string, BronzePartition>> Partitions => _partitions.Where(p => p.Value.Count > 0);

    /// <summary>
    /// One resource version as received, copied, with the SHA-256 of its bytes (<paramref name="sha256"/>, computed
    /// here when empty).
    /// </summary>
    public void AddResource(ResourceHeader header, ReadOnlySpan<byte> json, ReadOnlySpan<byte> sha256, string source, string rawKey, long line, DateTimeOffset ingestedAt)
    {
        var p = Partition(header.ResourceType);
        p.Id.Add(Text(header.Id));
        p.VersionId.Add(header.VersionId is null ? null : Text(header.VersionId));
        p.LastUpdated.Add(header.LastUpdated is { } t ? Micros(t) : null);
        p.Deleted.Add(false);
        p.PatientId.Add(header.PatientId is null ? null : Text(header.PatientId));
        AddCommon(p, source, rawKey, line, ingestedAt);
        p.ContentHash.Add(Hash(json, sha256));
        p.Resource.Add(_arena.Add(json));
        Count++;
    }

    /// <summary>A deletion received from the source (no content).</summary>
    public void AddDeletion(string resourceType, string id, DateTimeOffset lastUpdated, string source, string rawKey, long line, DateTimeOffset ingestedAt)
    {
        var p = Partition(resourceType);
        p.Id.Add(Text(id));
        p.VersionId.Add(null);
        p.LastUpdated.Add(Micros(lastUpdated));
        p.Deleted.Add(true);
        p.PatientId.Add(null);
        AddCommon(p, source, rawKey, line, ingestedAt);
        p.ContentHash.Add(null);
        p.Resource.Add(null);
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
        _source = _rawKey = null;
        Count = 0;
    }

    public void Dispose() => _arena.Dispose();

    internal static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private void AddCommon(BronzePartition p, string source, string rawKey, long line, DateTimeOffset ingestedAt)
    {
        if (!ReferenceEquals(source, _source))
        {
            _source = source;
            _sourceBytes = Text(source);
        }

        if (!ReferenceEquals(rawKey, _rawKey))
        {
            _rawKey = rawKey;
            _rawKeyBytes = Text(rawKey);
        }

        p.Source.Add(_sourceBytes);
        p.RawKey.Add(_rawKeyBytes);
        p.RawLine.Add(line);
        p.IngestedAt.Add(Micros(ingestedAt));
    }

    private BronzePartition Partition(string resourceType)
    {
        if (!_partitions.TryGetValue(resourceType, out var partition))
        {
            _partitions[resourceType] = partition = new BronzePartition();
        }

        return partition;
    }

    private ByteArray Text(string value) => _arena.AddUtf8(value);

    private ByteArray Hash(ReadOnlySpan<byte> json, ReadOnlySpan<byte> sha256)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (sha256.IsEmpty)
        {
            SHA256.HashData(json, digest);
        }
        else
        {
            sha256.CopyTo(digest);
        }

        return _arena.AddHexLower(digest);
    }
}

/// <summary>The rows of one resource type in a <see cref="BronzeChunk"/>, column by column (bronze's data columns).</summary>
internal sealed class BronzePartition
{
    public int Count => Id.Count;

    public BytesColumn Id { get; } = new(nullable: false);

    public BytesColumn VersionId { get; } = new(nullable: true);

    public NullableColumn<long> LastUpdated { get; } = new();

    public List<bool> Deleted { get; } = [];

    public BytesColumn PatientId { get; } = new(nullable: true);

    public BytesColumn Source { get; } = new(nullable: false);

    public BytesColumn RawKey { get; } = new(nullable: false);

    public List<long> RawLine { get; } = [];

    public BytesColumn ContentHash { get; } = new(nullable: true);

    public List<long> IngestedAt { get; } = [];

    public BytesColumn Resource { get; } = new(nullable: true);

    public void Clear()
    {
        Id.Clear();
        VersionId.Clear();
        LastUpdated.Clear();
        Deleted.Clear();
        PatientId.Clear();
        Source.Clear();
        RawKey.Clear();
        RawLine.Clear();
        ContentHash.Clear();
        IngestedAt.Clear();
        Resource.Clear();
    }
}

/// <summary>A column of byte strings (pointers into the chunk's arena), with definition levels when nullable.</summary>
internal sealed class BytesColumn(bool nullable)
{
    private readonly List<ByteArray> _values = [];
    private readonly List<short> _levels = [];

    public bool Nullable => nullable;

    /// <summary>Rows (nulls included).</summary>
    public int Count { get; private set; }

    /// <summary>The non-null values, in row order.</summary>
    public ReadOnlySpan<ByteArray> Values => CollectionsMarshal.AsSpan(_values);

    /// <summary>Definition levels (1 value, 0 null), one per row; empty when the column is required.</summary>
    public ReadOnlySpan<short> Levels => CollectionsMarshal.AsSpan(_levels);

    public int Nulls => Count - _values.Count;

    public void Add(ByteArray? value)
    {
        if (value is { } v)
        {
            _values.Add(v);
        }
        else if (!nullable)
        {
            throw new InvalidOperationException("A required bronze column got a null value.");
        }

        if (nullable)
        {
            _levels.Add(value is null ? (short)0 : (short)1);
        }

        Count++;
    }

    public void Clear()
    {
        _values.Clear();
        _levels.Clear();
        Count = 0;
    }
}

/// <summary>A nullable column of unboxed values, with definition levels.</summary>
internal sealed class NullableColumn<T>
    where T : struct
{
    private readonly List<T> _values = [];
    private readonly List<short> _levels = [];

    public ReadOnlySpan<T> Values => CollectionsMarshal.AsSpan(_values);

    public ReadOnlySpan<short> Levels => CollectionsMarshal.AsSpan(_levels);

    public int Nulls => _levels.Count - _values.Count;

    public void Add(T? value)
    {
        if (value is { } v)
        {
            _values.Add(v);
        }

        _levels.Add(value is null ? (short)0 : (short)1);
    }

    public void Clear()
    {
        _values.Clear();
        _levels.Clear();
    }
}
