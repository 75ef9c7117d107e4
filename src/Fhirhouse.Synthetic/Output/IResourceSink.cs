namespace Fhirhouse.Synthetic.Output;

/// <summary>Where generated resources go, one patient's batch at a time, in patient order.</summary>
internal interface IResourceSink : IDisposable
{
    void WriteShared(ResourceBatch batch);

    void WritePatient(int patientIndex, string patientId, ResourceBatch batch);
}
