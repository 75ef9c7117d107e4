using System.Text;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Testing;

namespace Fhirhouse.Fhir.Tests.Ndjson;

public sealed class NdjsonDirectoryWriterTests
{
    [Fact]
    public void Writes_one_series_per_type_and_rolls_to_a_new_file_at_the_limit()
    {
        using var folder = new TempFolder();
        using (var writer = new NdjsonDirectoryWriter(folder.Path, maxResourcesPerFile: 2))
        {
            for (var i = 0; i < 5; i++)
            {
                writer.Write("Patient", Encoding.UTF8.GetBytes($"{{\"resourceType\":\"Patient\",\"id\":\"p{i}\"}}"));
            }

            writer.Write("Encounter", "{\"resourceType\":\"Encounter\",\"id\":\"e0\"}"u8);
        }

        Assert.Equal(["Encounter.000.ndjson", "Patient.000.ndjson", "Patient.001.ndjson", "Patient.002.ndjson"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["{\"resourceType\":\"Patient\",\"id\":\"p2\"}", "{\"resourceType\":\"Patient\",\"id\":\"p3\"}"], File.ReadAllLines(Path.Combine(folder.Path, "Patient.001.ndjson")));
        Assert.Single(File.ReadAllLines(Path.Combine(folder.Path, "Patient.002.ndjson")));
    }

    [Fact]
    public void Files_lists_every_file_with_its_count()
    {
        using var folder = new TempFolder();
        var writer = new NdjsonDirectoryWriter(folder.Path, maxResourcesPerFile: 3);
        for (var i = 0; i < 4; i++)
        {
            writer.Write("Observation", "{}"u8);
        }

        writer.Dispose();
        Assert.Equal([3L, 1L], writer.Files.Select(f => f.Count));
        Assert.All(writer.Files, f => Assert.Equal("Observation", f.ResourceType));
    }

    [Fact]
    public void Refuses_a_folder_that_already_holds_ndjson()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "Patient.000.ndjson"), "{}\n");
        var e = Assert.Throws<IOException>(() => new NdjsonDirectoryWriter(folder.Path));
        Assert.Contains(folder.Path, e.Message, StringComparison.Ordinal);
    }
}
