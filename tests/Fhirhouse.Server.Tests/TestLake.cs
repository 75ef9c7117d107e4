using System.Text;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Server.Tests;

/// <summary>A lake in a temp folder, filled from NDJSON text or files through the real ingestion pipeline.</summary>
internal sealed class TestLake : IDisposable
{
    private readonly TempFolder _folder = new();
    private int _inputs;

    public TestLake() => Store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));

    public IObjectStore Store { get; }

    public string Folder => _folder.Path;

    public async Task<IngestSummary> IngestAsync(params string[] ndjsonLines)
    {
        var path = Path.Combine(_folder.Path, "in", $"input-{++_inputs}.ndjson");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, string.Join('\n', ndjsonLines) + "\n", Encoding.UTF8);
        return await IngestFilesAsync([path]);
    }

    public async Task<IngestSummary> IngestFilesAsync(IEnumerable<string> paths)
    {
        var ingestor = await PayloadIngestor.OpenAsync(Store, new IngestOptions());
        return await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(paths));
    }

    public async Task<PayloadIngestor> IngestorAsync() => await PayloadIngestor.OpenAsync(Store, new IngestOptions());

    public async Task<IReadOnlyDictionary<string, BronzeRow>> CurrentAsync() => await (await IngestorAsync()).Bronze.ReadCurrentAsync();

    public void Dispose() => _folder.Dispose();
}
