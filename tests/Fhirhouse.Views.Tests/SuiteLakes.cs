using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Views.Tests;

/// <summary>
/// One lake per file of the SQL-on-FHIR v2 suite, its <c>resources</c> landed in bronze by <c>ingest files</c>'s path
/// (NDJSON through <see cref="FileIngestor"/>), made once and shared by the cases of the file.
/// </summary>
public sealed class SuiteLakes : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IObjectStore>>> _lakes = new(StringComparer.Ordinal);

    /// <summary>The suite's folder.</summary>
    public static string Folder => RepoPaths.TestData("sql-on-fhir-v2");

    /// <summary>
    /// The files whose fixtures hold a resource without an <c>id</c>: bronze keys every resource by Type/id, so such a
    /// resource is landed with the id <c>no-id-N</c> (N its place in the fixtures). Their views must not read the id.
    /// </summary>
    public static readonly IReadOnlySet<string> FilesWithResourcesWithoutId = new HashSet<string>(StringComparer.Ordinal) { "fn_first.json" };

    public void Dispose() => _folder.Dispose();

    /// <summary>The lake of the suite file <paramref name="file"/> (a file name), landed on first use.</summary>
    public Task<IObjectStore> LakeAsync(string file) =>
        _lakes.GetOrAdd(file, f => new Lazy<Task<IObjectStore>>(() => LandAsync(f))).Value;

    private async Task<IObjectStore> LandAsync(string file)
    {
        var suite = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(Folder, file)))!;
        var lines = new List<string>();
        var index = 0;
        foreach (var resource in suite["resources"]!.AsArray())
        {
            var copy = resource!.DeepClone().AsObject();
            if (copy["id"] is null)
            {
                Assert.Contains(file, FilesWithResourcesWithoutId);
                copy["id"] = $"no-id-{index}";
            }

            lines.Add(copy.ToJsonString());
            index++;
        }

        var name = Path.GetFileNameWithoutExtension(file);
        var ndjson = Path.Combine(_folder.Path, name + ".ndjson");
        await File.WriteAllLinesAsync(ndjson, lines);
        var store = new LocalObjectStore(Path.Combine(_folder.Path, name));
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        var summary = await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve([ndjson]));
        Assert.True(summary.Quarantined == 0, $"{file}: {summary.Quarantined} of its fixtures were quarantined, not landed in bronze");
        Assert.Equal(lines.Count, summary.Resources);
        return store;
    }
}
