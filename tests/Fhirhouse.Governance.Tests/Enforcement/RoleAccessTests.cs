using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Tests.Enforcement;

public sealed class RoleAccessTests
{
    [Fact]
    public async Task Clinician_for_treatment_reads_patients_and_bronze_unmasked_but_not_the_audit_log()
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("clinician", "treatment");

        var patients = await engine.ExecuteAsync("SELECT id, family, birth_date, postal_code FROM patient ORDER BY id");
        Assert.Equal(["p1", "p2", "p3", "p4"], patients.Rows.Select(r => (string)r[0]!));
        Assert.Equal(["p1", "Martin", "1961-04-12", "69003"], patients.Rows[0]);

        var bronze = await engine.ExecuteAsync("SELECT count(*) FROM fhir_resources WHERE resource_type = 'Consent'");
        Assert.Equal(5L, bronze.Rows[0][0]);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync("SELECT * FROM audit_log"));
        Assert.Contains("no rule allows table 'governance.audit_log' to role 'clinician' for purpose 'treatment' (deny by default", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_scientist_for_research_sees_consenting_patients_only_with_hashed_ids_no_names_birth_year_and_postcode_area()
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("data-scientist", "research");

        var patients = await engine.ExecuteAsync("SELECT id, family, given, city, birth_date, postal_code, gender FROM patient ORDER BY birth_date");

        Assert.Equal(2, patients.Rows.Count);
        var key = await MaskKey.LoadOrCreateAsync(lake.Store, lake.Keys);
        Assert.Equal(Hmac(key, "p1"), patients.Rows[0][0]);
        Assert.Equal(Hmac(key, "p3"), patients.Rows[1][0]);
        Assert.All(patients.Rows, r => Assert.Matches("^[0-9a-f]{64}$", (string)r[0]!));
        Assert.All(patients.Rows, r => Assert.Equal([null, null, null], r[1..4]));
        Assert.Equal(["1961", "69", "female"], patients.Rows[0][4..]);
        Assert.Equal(["1990", "44", "female"], patients.Rows[1][4..]);

        var joined = await engine.ExecuteAsync("SELECT o.patient_id, count(*) FROM observation o JOIN patient p ON o.patient_id = p.id GROUP BY ALL ORDER BY 1");
        Assert.Equal(new[] { Hmac(key, "p1"), Hmac(key, "p3") }.Order(StringComparer.Ordinal), joined.Rows.Select(r => (string)r[0]!));
        Assert.All(joined.Rows, r => Assert.Equal(2L, r[1]));

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync("SELECT resource FROM fhir_resources"));
        Assert.Contains("rule 'research-no-raw-data'", denied.Message, StringComparison.Ordinal);
        Assert.Contains("denies table 'bronze.fhir_resources' to role 'data-scientist' for purpose 'research'", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyst_for_operations_sees_every_patient_with_names_redacted_and_cannot_read_bronze()
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("analyst", "operations");

        var patients = await engine.ExecuteAsync("SELECT family, given, birth_date, postal_code, city FROM patient ORDER BY birth_date");
        Assert.Equal(4, patients.Rows.Count);
        Assert.Equal([null, null, "1948", "59", "Lille"], patients.Rows[0]);

        var observations = await engine.ExecuteAsync("SELECT min(effective), count(DISTINCT patient_id), count(*) FILTER (WHERE patient_id IS NULL) FROM observation");
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset((DateTime)observations.Rows[0][0]!, TimeSpan.Zero));
        Assert.Equal([4L, 1L], observations.Rows[0][1..]);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync("SELECT count(*) FROM fhir_resources"));
        Assert.Contains("no rule allows table 'bronze.fhir_resources' to role 'analyst' for purpose 'operations'", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_for_operations_reads_everything_the_audit_log_included_but_not_for_research()
    {
        using var lake = await GovernedLake.CreateAsync();
        using (var engine = await lake.EngineAsync("admin", "operations"))
        {
            var patients = await engine.ExecuteAsync("SELECT family FROM patient WHERE id = 'p2'");
            Assert.Equal("Bernard", patients.Rows.Single()[0]);
            var audit = await engine.ExecuteAsync("SELECT user, role, outcome FROM audit_log");
            Assert.Equal(["tester", "admin", "ok"], audit.Rows.Single());
        }

        using var researching = await lake.EngineAsync("admin", "research");
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => researching.ExecuteAsync("SELECT count(*) FROM audit_log"));
        Assert.Contains("no rule allows table 'governance.audit_log' to role 'admin' for purpose 'research'", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_role_is_denied_naming_the_known_roles()
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("janitor", "operations");

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync("SELECT 1 FROM patient"));

        Assert.Contains("role 'janitor' is not defined", denied.Message, StringComparison.Ordinal);
        Assert.Contains("clinician, data-scientist, analyst, admin", denied.Message, StringComparison.Ordinal);
    }

    private static string Hmac(byte[] key, string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));
}
