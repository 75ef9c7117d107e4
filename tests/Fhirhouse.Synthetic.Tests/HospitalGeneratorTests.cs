using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Synthetic.Tests;

public sealed class HospitalGeneratorTests(GeneratedHospital hospital) : IClassFixture<GeneratedHospital>
{
    [Fact]
    public void Writes_every_resource_type_in_the_bulk_data_layout_with_the_counts_of_the_summary()
    {
        string[] expected = ["Communication", "Condition", "Consent", "Device", "DocumentReference", "Encounter", "MedicationRequest", "Observation", "Organization", "Patient", "Practitioner", "Procedure"];
        Assert.Equal(expected, hospital.Resources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(250, hospital.Resources["Patient"].Count);
        foreach (var (type, list) in hospital.Resources)
        {
            Assert.Equal(hospital.Summary.ResourcesByType[type], list.Count);
        }

        Assert.True(File.Exists(Path.Combine(hospital.Folder, "Observation.000.ndjson")));
        Assert.True(File.Exists(Path.Combine(hospital.Folder, "Observation.001.ndjson")), "2,000 lines per file: the observations roll over to a second file");
        Assert.All(File.ReadLines(Path.Combine(hospital.Folder, "Observation.000.ndjson")).Take(1), l => Assert.StartsWith("{\"resourceType\":\"Observation\"", l, StringComparison.Ordinal));
        Assert.Equal(2_000, File.ReadLines(Path.Combine(hospital.Folder, "Observation.000.ndjson")).Count());
    }

    [Fact]
    public void Every_reference_points_to_a_generated_resource()
    {
        var ids = hospital.All.Select(r => $"{r.GetProperty("resourceType").GetString()}/{r.GetProperty("id").GetString()}").ToHashSet(StringComparer.Ordinal);
        var references = new List<string>();
        foreach (var r in hospital.All)
        {
            CollectReferences(r, references);
        }

        Assert.True(references.Count > 1000);
        Assert.All(references, reference => Assert.Contains(reference, ids));
    }

    [Fact]
    public void Ids_are_unique()
    {
        var ids = hospital.All.Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_diabetic_has_hba1c_results_and_metformin()
    {
        var diabetics = hospital.Resources["Condition"]
            .Where(c => c.GetProperty("code").GetProperty("coding").EnumerateArray().Any(x => x.GetProperty("code").GetString() == "44054006"))
            .Select(c => c.GetProperty("subject").GetProperty("reference").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(diabetics);
        var withHba1c = SubjectsWith(hospital.Resources["Observation"], "code", "4548-4");
        var withMetformin = SubjectsWith(hospital.Resources["MedicationRequest"], "medicationCodeableConcept", "6809");
        Assert.All(diabetics, d => Assert.Contains(d, withMetformin));
        var fraction = diabetics.Count(withHba1c.Contains) / (double)diabetics.Count;
        Assert.True(fraction > 0.9, $"only {fraction:P0} of diabetics have an HbA1c");

        var hba1cOfDiabetics = Values(hospital.Resources["Observation"], "4548-4", diabetics.Contains);
        var hba1cOfOthers = Values(hospital.Resources["Observation"], "4548-4", s => !diabetics.Contains(s));
        Assert.True(hba1cOfDiabetics.Average() > hba1cOfOthers.Average() + 1.5, "diabetics' HbA1c is clearly higher");
    }

    [Fact]
    public void Notes_come_in_both_languages_and_each_note_is_a_base64_text_plain_attachment_of_one_to_three_kilobytes()
    {
        var notes = hospital.Resources["DocumentReference"];
        var languages = notes.GroupBy(n => n.GetProperty("content")[0].GetProperty("attachment").GetProperty("language").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.True(languages["fr"] > notes.Count / 3);
        Assert.True(languages["en"] > notes.Count / 5);
        Assert.All(notes, n => Assert.Equal("text/plain; charset=utf-8", n.GetProperty("content")[0].GetProperty("attachment").GetProperty("contentType").GetString()));
        var sizes = notes.Select(n => GeneratedHospital.NoteText(n).Length).ToList();
        Assert.InRange(sizes.Average(), 600, 3000);
        Assert.Contains(notes, n => GeneratedHospital.NoteText(n).Contains("ANTÉCÉDENTS", StringComparison.Ordinal));
        Assert.Contains(notes, n => GeneratedHospital.NoteText(n).Contains("PAST MEDICAL HISTORY", StringComparison.Ordinal));
    }

    [Fact]
    public void Notes_quote_the_blood_pressure_measured_at_their_encounter()
    {
        var bpByEncounter = hospital.Resources["Observation"]
            .Where(o => o.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == "85354-9")
            .ToDictionary(
                o => o.GetProperty("encounter").GetProperty("reference").GetString()!,
                o => $"{o.GetProperty("component")[0].GetProperty("valueQuantity").GetProperty("value").GetDecimal()}/{o.GetProperty("component")[1].GetProperty("valueQuantity").GetProperty("value").GetDecimal()} mmHg");
        foreach (var note in hospital.Resources["DocumentReference"])
        {
            var encounter = note.GetProperty("context").GetProperty("encounter")[0].GetProperty("reference").GetString()!;
            Assert.Contains(bpByEncounter[encounter], GeneratedHospital.NoteText(note), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_manifest_names_the_options_the_drift_start_and_the_counts()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(hospital.Summary.ManifestFile));
        var root = manifest.RootElement;
        Assert.Equal(7, root.GetProperty("seed").GetInt32());
        Assert.Equal("2024-01-01", root.GetProperty("driftStart").GetString());
        Assert.Equal(5, root.GetProperty("drift").GetArrayLength());
        Assert.Equal(hospital.Summary.Resources, root.GetProperty("resources").GetInt64());
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_output_and_another_seed_does_not()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        using var c = new TempFolder();
        var options = new HospitalOptions { Patients = 40, Seed = 3 };
        new HospitalGenerator(options).Generate(a.Path);
        new HospitalGenerator(options).Generate(b.Path);
        new HospitalGenerator(options with { Seed = 4 }).Generate(c.Path);
        Assert.Equal(Digest(a.Path), Digest(b.Path));
        Assert.NotEqual(Digest(a.Path), Digest(c.Path));
    }

    [Fact]
    public void Refuses_to_write_over_a_previous_output()
    {
        var e = Assert.Throws<IOException>(() => new HospitalGenerator(new HospitalOptions { Patients = 1 }).Generate(hospital.Folder));
        Assert.Contains(hospital.Folder, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2022, 2025, "patients")]
    [InlineData(10, 2025, 2022, "to (2022)")]
    [InlineData(10, 1800, 2022, "from and to")]
    public void Invalid_options_are_refused_with_a_message_naming_the_setting(int patients, int from, int to, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new HospitalGenerator(new HospitalOptions { Patients = patients, FromYear = from, ToYear = to }));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_drift_scenarios_are_refused_with_the_accepted_names()
    {
        var e = Assert.Throws<ArgumentException>(() => DriftScenarios.Parse("ageing-population,flu-season"));
        Assert.Contains("'flu-season'", e.Message, StringComparison.Ordinal);
        Assert.Contains("glucose-unit-change", e.Message, StringComparison.Ordinal);
        Assert.Empty(DriftScenarios.Parse("none"));
        Assert.Equal(5, DriftScenarios.Parse("all").Count);
    }

    internal static string Digest(string folder)
    {
        using var sha = SHA256.Create();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }

        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }

    private static HashSet<string> SubjectsWith(IEnumerable<JsonElement> resources, string property, string code) =>
        resources.Where(r => r.GetProperty(property).GetProperty("coding").EnumerateArray().Any(c => c.GetProperty("code").GetString() == code))
            .Select(r => r.GetProperty("subject").GetProperty("reference").GetString()!)
            .ToHashSet(StringComparer.Ordinal);

    private static List<double> Values(IEnumerable<JsonElement> observations, string loinc, Func<string, bool> subject) =>
        [.. observations
            .Where(o => o.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == loinc && subject(o.GetProperty("subject").GetProperty("reference").GetString()!))
            .Select(o => o.GetProperty("valueQuantity").GetProperty("value").GetDouble())];

    private static void CollectReferences(JsonElement element, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (p.NameEquals("reference") && p.Value.ValueKind == JsonValueKind.String)
                    {
                        into.Add(p.Value.GetString()!);
                    }
                    else
                    {
                        CollectReferences(p.Value, into);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectReferences(item, into);
                }

                break;
        }
    }
}
