using Fhirhouse.Governance.Policies;
using Fhirhouse.Query.Access;
using Fhirhouse.Testing;

namespace Fhirhouse.Governance.Tests.Policies;

public sealed class PolicySetTests
{
    private const string Header = """ "roles": ["analyst", "admin"], "purposes": ["operations"], """;

    [Fact]
    public void The_shipped_policies_load_with_their_roles_purposes_and_masks()
    {
        var policies = GovernedLake.ShippedPolicies;

        Assert.Equal(["clinician", "data-scientist", "analyst", "admin"], policies.Roles);
        Assert.Equal(["treatment", "research", "operations"], policies.Purposes);
        var research = policies.Decide("data-scientist", "research", "patient", "tables/views/patient");
        Assert.True(research.Allowed);
        Assert.Equal(ColumnMask.Truncate(2), research.Rule!.Masks["postal_code"]);
        Assert.Equal(new RowFilter(null, "research", "id"), research.Rule.Filter);
    }

    [Theory]
    [InlineData("""{ "name": "r1", "tables": ["patient"], "roles": ["nurse"], "purposes": ["operations"], "effect": "allow" }""", "rule 'r1': unknown role 'nurse' (declared roles: analyst, admin)")]
    [InlineData("""{ "name": "r2", "tables": ["patient"], "roles": ["analyst"], "purposes": ["fun"], "effect": "allow" }""", "rule 'r2': unknown purpose 'fun'")]
    [InlineData("""{ "name": "r3", "tables": ["patient"], "roles": ["analyst"], "purposes": ["operations"], "effect": "allow", "masks": { "family": "scramble" } }""", "rule 'r3': unknown mask 'scramble' on column 'family'")]
    [InlineData("""{ "name": "r4", "tables": ["patient"], "roles": ["analyst"], "purposes": ["operations"], "effect": "maybe" }""", "rule 'r4': \"effect\" must be \"allow\" or \"deny\"")]
    [InlineData("""{ "name": "r5", "tables": ["*"], "roles": ["analyst"], "purposes": ["operations"], "effect": "allow" }""", "rule 'r5': it would open 'audit_log'")]
    [InlineData("""{ "name": "r6", "tables": ["patient"], "roles": ["analyst"], "purposes": ["operations"], "effect": "allow", "filter": { "consented_for": "research" } }""", "rule 'r6': consented_for 'research' is not a declared purpose")]
    [InlineData("""{ "tables": ["patient"] }""", "a rule has no \"name\"")]
    public void A_bad_rule_names_the_file_the_rule_and_the_problem(string rule, string expected)
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "bad.json");
        File.WriteAllText(file, "{" + Header + "\"rules\": [" + rule + "] }");

        var error = Assert.Throws<PolicyException>(() => PolicySet.Load(folder.Path));

        Assert.StartsWith($"Policy file {file}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_json_names_the_file_and_the_line()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "broken.json");
        File.WriteAllText(file, "{\n  \"roles\": [\"analyst\"],\n  \"rules\": [ { \"name\": }\n}");

        var error = Assert.Throws<PolicyException>(() => PolicySet.Load(folder.Path));

        Assert.Equal(file, error.File);
        Assert.Contains("not valid JSON at line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deny_by_default_a_deny_wins_over_an_allow_and_globs_match_the_qualified_name()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "a.json"), "{" + Header + """
            "rules": [
              { "name": "views", "tables": ["views.*"], "roles": ["analyst"], "purposes": ["*"], "effect": "allow", "masks": { "effective": "year" } },
              { "name": "no-notes", "tables": ["document_*"], "roles": ["*"], "purposes": ["operations"], "effect": "deny" }
            ] }
            """);
        var policies = PolicySet.Load(folder.Path);

        Assert.True(policies.Decide("analyst", "operations", "observation", "tables/views/observation").Allowed);
        var notes = policies.Decide("analyst", "operations", "document_reference", "tables/views/document_reference");
        Assert.False(notes.Allowed);
        Assert.Contains("rule 'no-notes'", notes.Reason, StringComparison.Ordinal);
        var gold = policies.Decide("analyst", "operations", "cohort", "tables/gold/cohort");
        Assert.False(gold.Allowed);
        Assert.Null(gold.Rule);
        Assert.Contains("deny by default", gold.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_year_mask_on_a_timestamp_and_a_sql_filter_apply_in_the_engine()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "a.json"), "{" + Header + """
            "rules": [
              { "name": "glucose-only", "tables": ["observation"], "roles": ["analyst"], "purposes": ["operations"], "effect": "allow",
                "masks": { "effective": "year", "value": "redact", "patient_id": "truncate:1" }, "filter": { "sql": "id IN ('o1', 'o2')" } }
            ] }
            """);
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("analyst", "operations", policies: PolicySet.Load(folder.Path));

        var result = await engine.ExecuteAsync("SELECT id, patient_id, effective, value FROM observation ORDER BY id");

        Assert.Equal(["o1", "o2"], result.Rows.Select(r => (string)r[0]!));
        Assert.All(result.Rows, r => Assert.Equal("p", r[1]));
        Assert.All(result.Rows, r => Assert.Equal(new DateTime(2026, 1, 1), (DateTime)r[2]!));
        Assert.All(result.Rows, r => Assert.Null(r[3]));
    }
}
