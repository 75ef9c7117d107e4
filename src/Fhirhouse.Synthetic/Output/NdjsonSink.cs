using Fhirhouse.Fhir.Ndjson;

namespace Fhirhouse.Synthetic.Output;

/// <summary>Writes resources in the FHIR Bulk Data layout (<c>Patient.000.ndjson</c>, ...).</summary>
internal sealed class NdjsonSink(string folder, int maxResourcesPerFile) : IResourceSink
{
    private readonly NdjsonDirectoryWriter _writer = new(folder, maxResourcesPerFile);

    public IReadOnlyList<NdjsonFile> Files => _writer.Files;

    public void WriteShared(ResourceBatch batch) => Write(batch);

    public void WritePatient(int patientIndex, string patientId, ResourceBatch batch) => Write(batch);

    public void Dispose() => _writer.Dispose();

    private void Write(ResourceBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var (type, _, json) = batch[i];
            _writer.Write(type, json.Span);
        }
    }
}
