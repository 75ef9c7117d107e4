using System.Buffers;
using System.Security.Cryptography;
using Fhirhouse.Fhir.Resources;

namespace Fhirhouse.Lake.Landing;

/// <summary>
/// A block of NDJSON lines copied out of the reader's buffer, scanned in parallel (UTF-8, header, structure checks,
/// SHA-256: the pure, per-line work) on two threads, then landed in line order by the caller; a line refused before
/// scanning (over the size limit) keeps its place with its reason. Reused block after block.
/// </summary>
internal sealed class LineBlock : IDisposable
{
    private const int TargetBytes = 4 << 20;
    private const int MaxLines = 8192;
    private readonly List<(long Line, int Start, int Length, string? Refusal)> _lines = new(MaxLines);
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(TargetBytes);
    private readonly ScannedLine[] _scans = new ScannedLine[MaxLines];
    private readonly byte[] _hashes = new byte[MaxLines * SHA256.HashSizeInBytes];
    private int _used;

    public int Count => _lines.Count;

    /// <summary>True when the block should be landed before more lines are added.</summary>
    public bool IsFull => _lines.Count >= MaxLines || _used >= TargetBytes;

    /// <summary>Copies a line in; the caller lands the block once <see cref="IsFull"/> (so it never holds more than <c>MaxLines</c>).</summary>
    public void Add(long line, ReadOnlySpan<byte> json)
    {
        EnsureRoom();

        if (_used + json.Length > _bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + json.Length));
            _bytes.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = bigger;
        }

        json.CopyTo(_bytes.AsSpan(_used));
        _lines.Add((line, _used, json.Length, null));
        _used += json.Length;
    }

    /// <summary>A line that is not landed whatever it holds (its bytes were not kept): it is quarantined with <paramref name="reason"/>, in its place.</summary>
    public void AddRefused(long line, string reason)
    {
        EnsureRoom();
        _lines.Add((line, _used, 0, reason));
    }

    public long LineNumber(int index) => _lines[index].Line;

    public ReadOnlySpan<byte> Json(int index)
    {
        var (_, start, length, _) = _lines[index];
        return _bytes.AsSpan(start, length);
    }

    public ref readonly ScannedLine Scan(int index) => ref _scans[index];

    public ReadOnlySpan<byte> Hash(int index) => _hashes.AsSpan(index * SHA256.HashSizeInBytes, SHA256.HashSizeInBytes);

    /// <summary>Scans every line, half of them on another thread.</summary>
    public async Task ScanAsync(bool checkStructure, CancellationToken cancellationToken)
    {
        var count = _lines.Count;
        if (count < 64)
        {
            ScanRange(0, count, checkStructure);
            return;
        }

        var half = count / 2;
        var other = Task.Run(() => ScanRange(half, count, checkStructure), cancellationToken);
        ScanRange(0, half, checkStructure);
        await other.ConfigureAwait(false);
    }

    public void Clear()
    {
        _lines.Clear();
        _used = 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
    }

    private void EnsureRoom()
    {
        if (_lines.Count == MaxLines)
        {
            throw new InvalidOperationException("The block is full: land it before adding more lines.");
        }
    }

    private void ScanRange(int from, int to, bool checkStructure)
    {
        for (var i = from; i < to; i++)
        {
            if (_lines[i].Refusal is { } refusal)
            {
                _scans[i] = new ScannedLine(IsBundle: false, Header: null, refusal);
                continue;
            }

            var json = Json(i);
            SHA256.HashData(json, _hashes.AsSpan(i * SHA256.HashSizeInBytes, SHA256.HashSizeInBytes));
            _scans[i] = ScannedLine.Of(json, topLevel: true, checkStructure);
        }
    }
}

/// <summary>What scanning one line found: a Bundle to expand, a resource header, or why it is not a resource.</summary>
internal readonly record struct ScannedLine(bool IsBundle, ResourceHeader? Header, string? Error)
{
    public static ScannedLine Of(ReadOnlySpan<byte> json, bool topLevel, bool checkStructure)
    {
        var isBundle = topLevel && ResourceScanner.PeekResourceType(json) == "Bundle";
        try
        {
            return new ScannedLine(isBundle, ResourceScanner.Scan(json, checkStructure), null);
        }
        catch (InvalidResourceException e)
        {
            return new ScannedLine(isBundle, null, e.Reason);
        }
    }
}
