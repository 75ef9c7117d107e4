using Fhirhouse.Synthetic;

namespace Fhirhouse.Server.Tests;

/// <summary>A lake filled from a generated 20-patient hospital, shared (read-only for bronze) by the tests of a class.</summary>
public sealed class HospitalLake : IDisposable
{
    private readonly TestLake _lake = new();

    public HospitalLake()
    {
        var folder = Path.Combine(_lake.Folder, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 20, Seed = 5, MaxResourcesPerFile = 1_000 }).Generate(folder);
        _lake.IngestFilesAsync(generated.Files.Select(f => Path.Combine(folder, f))).GetAwaiter().GetResult();
        Resources = generated.Resources;
    }

    internal TestLake Lake => _lake;

    public long Resources { get; }

    public void Dispose() => _lake.Dispose();
}
