namespace Fhirhouse.Fhir.Ndjson;

/// <summary>
/// Writes FHIR resources as NDJSON in the FHIR Bulk Data layout: one file series per resource type
/// (<c>Patient.000.ndjson</c>, <c>Patient.001.ndjson</c>, ...), a new file every <c>maxResourcesPerFile</c> lines.
/// Streams to disk: nothing is held beyond one write buffer per open file.
/// </summary>
public sealed class NdjsonDirectoryWriter : IDisposable
{
    private readonly string _folder;
    private readonly int _maxResourcesPerFile;
    private readonly Dictionary<string, OpenFile> _open = new(StringComparer.Ordinal);
    private readonly List<NdjsonFile> _closed = [];

    /// <summary>Creates the folder if needed; refuses a folder that already holds NDJSON files, so nothing is overwritten.</summary>
    public NdjsonDirectoryWriter(string folder, int maxResourcesPerFile = 100_000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResourcesPerFile, 1);
        _folder = Path.GetFullPath(folder);
        _maxResourcesPerFile = maxResourcesPerFile;
        Directory.CreateDirectory(_folder);
        if (Directory.EnumerateFiles(_folder, "*.ndjson").Any())
        {
            throw new IOException($"The folder {_folder} already holds NDJSON files; choose an empty folder.");
        }
    }

    /// <summary>Appends one resource (compact JSON without a trailing newline) to the series of its type.</summary>
    public void Write(string resourceType, ReadOnlySpan<byte> resourceJson)
    {
        if (!_open.TryGetValue(resourceType, out var file) || file.Count >= _maxResourcesPerFile)
        {
            file = Roll(resourceType, file);
        }

        file.Stream.Write(resourceJson);
        file.Stream.WriteByte((byte)'\n');
        file.Count++;
    }

    /// <summary>Every file written so far with its resource count, in the order the files were started.</summary>
    public IReadOnlyList<NdjsonFile> Files =>
        [.. _closed, .. _open.Values.Select(o => new NdjsonFile(o.Type, o.Path, o.Count))];

    public void Dispose()
    {
        foreach (var file in _open.Values)
        {
            Close(file);
        }

        _open.Clear();
    }

    private OpenFile Roll(string resourceType, OpenFile? previous)
    {
        var index = 0;
        if (previous is not null)
        {
            Close(previous);
            index = previous.Index + 1;
        }

        var path = Path.Combine(_folder, $"{resourceType}.{index:000}.ndjson");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        var file = new OpenFile(resourceType, index, path, stream);
        _open[resourceType] = file;
        return file;
    }

    private void Close(OpenFile file)
    {
        file.Stream.Flush(flushToDisk: true);
        file.Stream.Dispose();
        _closed.Add(new NdjsonFile(file.Type, file.Path, file.Count));
    }

    private sealed class OpenFile(string type, int index, string path, FileStream stream)
    {
        public string Type { get; } = type;
        public int Index { get; } = index;
        public string Path { get; } = path;
        public FileStream Stream { get; } = stream;
        public long Count { get; set; }
    }
}
