using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fhirhouse.Synthetic.Output;

/// <summary>
/// Writes one FHIR transaction Bundle per patient (<c>patient-000001.json</c>): entries have <c>urn:uuid:</c> fullUrls and
/// POST requests; the shared resources (organisation, practitioners) go to <c>hospital.json</c> with PUT requests.
/// </summary>
internal sealed class BundleSink : IResourceSink
{
    private readonly string _folder;

    public BundleSink(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
        if (Directory.EnumerateFiles(_folder, "*.json").Any())
        {
            throw new IOException($"The folder {_folder} already holds JSON files; choose an empty folder.");
        }
    }

    public int BundleCount { get; private set; }

    public void WriteShared(ResourceBatch batch) => Write(Path.Combine(_folder, "hospital.json"), "hospital", batch, put: true);

    public void WritePatient(int patientIndex, string patientId, ResourceBatch batch) =>
        Write(Path.Combine(_folder, $"patient-{patientIndex + 1:000000}.json"), patientId, batch, put: false);

    public void Dispose()
    {
    }

    private void Write(string path, string bundleId, ResourceBatch batch, bool put)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("resourceType", "Bundle");
        writer.WriteString("id", bundleId);
        writer.WriteString("type", "transaction");
        writer.WriteStartArray("entry");
        for (var i = 0; i < batch.Count; i++)
        {
            var (type, id, json) = batch[i];
            writer.WriteStartObject();
            writer.WriteString("fullUrl", $"urn:uuid:{id}");
            writer.WritePropertyName("resource");
            writer.WriteRawValue(json.Span, skipInputValidation: true);
            writer.WriteStartObject("request");
            writer.WriteString("method", put ? "PUT" : "POST");
            writer.WriteString("url", put ? $"{type}/{id}" : type);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        BundleCount++;
    }
}
