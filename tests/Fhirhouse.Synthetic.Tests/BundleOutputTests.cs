using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Synthetic.Tests;

public sealed class BundleOutputTests
{
    [Fact]
    public void Each_patient_is_a_transaction_bundle_whose_urn_uuid_references_resolve_inside_it()
    {
        using var folder = new TempFolder();
        var summary = new HospitalGenerator(new HospitalOptions { Patients = 12, Seed = 5, Format = OutputFormat.Bundles }).Generate(folder.Path);
        var bundles = Directory.GetFiles(Path.Combine(folder.Path, "bundles"), "patient-*.json");
        Assert.Equal(12, bundles.Length);
        Assert.True(File.Exists(Path.Combine(folder.Path, "bundles", "hospital.json")));
        long entries = 0;
        foreach (var file in bundles)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var bundle = doc.RootElement;
            Assert.Equal("transaction", bundle.GetProperty("type").GetString());
            var fullUrls = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("fullUrl").GetString()!).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in bundle.GetProperty("entry").EnumerateArray())
            {
                entries++;
                Assert.Equal("POST", entry.GetProperty("request").GetProperty("method").GetString());
                Assert.StartsWith("urn:uuid:", entry.GetProperty("fullUrl").GetString(), StringComparison.Ordinal);
                var json = entry.GetProperty("resource").GetRawText();
                foreach (var reference in System.Text.RegularExpressions.Regex.Matches(json, "\"reference\":\"(urn:uuid:[^\"]+)\"").Select(m => m.Groups[1].Value))
                {
                    Assert.Contains(reference, fullUrls);
                }
            }
        }

        Assert.Equal(summary.Resources - summary.ResourcesByType["Organization"] - summary.ResourcesByType["Practitioner"] - summary.ResourcesByType["Device"], entries);
    }
}
