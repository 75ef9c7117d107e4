using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Governance.Consent;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;
using Fhirhouse.Synthetic;

namespace Fhirhouse.Governance.Tests.Consent;

/// <summary>The synthetic hospital's research consents, ingested, drive the research row filter end to end.</summary>
public sealed class SyntheticHospitalConsentTests
{
    [Fact]
    public async Task Research_sees_exactly_the_generated_patients_who_consented_and_an_analyst_sees_them_all()
    {
        using var lake = await GovernedLake.CreateAsync();
        var source = Path.Combine(lake.Root, "hospital");
        var summary = new HospitalGenerator(new HospitalOptions { Patients = 30, Seed = 7 }).Generate(source);
        var ingestor = await PayloadIngestor.OpenAsync(lake.Encrypted, new IngestOptions());
        var paths = summary.Files.Where(f => f.StartsWith("Patient.", StringComparison.Ordinal) || f.StartsWith("Consent.", StringComparison.Ordinal) || f.StartsWith("Condition.", StringComparison.Ordinal))
            .Select(f => Path.Combine(source, f)).ToList();
        await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(paths));
        await (await ViewMaterializer.OpenAsync(lake.Encrypted)).BuildAsync([DefaultViews.Get("condition")]);
        var consents = summary.ResourcesByType["Consent"];
        var key = await MaskKey.LoadOrCreateAsync(lake.Store, lake.Keys);

        var consenting = await new ConsentRegistry(lake.Store, lake.Time).PatientsConsentingToAsync("research");
        using var research = await lake.EngineAsync("data-scientist", "research");
        using var analyst = await lake.EngineAsync("analyst", "operations");
        var seenByResearch = await research.ExecuteAsync("SELECT count(DISTINCT patient_id) FROM condition");
        var seenByAnalyst = await analyst.ExecuteAsync("SELECT count(DISTINCT patient_id) FROM condition");
        var consentingWithConditions = await analyst.ExecuteAsync(
            "SELECT count(DISTINCT patient_id) FROM condition WHERE patient_id IN (" + string.Join(", ", consenting.Select(p => $"'{Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(p)))}'")) + ")");

        Assert.InRange(consents, 10, 25);
        Assert.Equal(consents + 2, consenting.Count); // and the fixture's p1 and p3
        Assert.True((long)seenByResearch.Rows[0][0]! < (long)seenByAnalyst.Rows[0][0]!);
        Assert.Equal(consentingWithConditions.Rows[0][0], seenByResearch.Rows[0][0]);
    }
}
