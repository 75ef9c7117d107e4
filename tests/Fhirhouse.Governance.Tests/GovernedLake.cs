using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Query;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Governance.Tests;

/// <summary>
/// An encrypted temp lake with a small hospital: the views <c>patient</c> and <c>observation</c> (o1..o8 two per
/// patient, o9 without a patient), bronze with the
/// Consent resources (p1 and p3 consent to research; p2 revoked in a later version; p4's consent is for treatment), and
/// the shipped policies. <see cref="Store"/> may wrap the encrypted store (a store that fails audit writes).
/// </summary>
internal sealed class GovernedLake : IDisposable
{
    public static readonly StructType PatientSchema = new(
    [
        new StructField("id", PrimitiveType.String, Nullable: false),
        new StructField("gender", PrimitiveType.String),
        new StructField("birth_date", PrimitiveType.String),
        new StructField("family", PrimitiveType.String),
        new StructField("given", PrimitiveType.String),
        new StructField("city", PrimitiveType.String),
        new StructField("postal_code", PrimitiveType.String),
    ]);

    public static readonly StructType ObservationSchema = new(
    [
        new StructField("id", PrimitiveType.String, Nullable: false),
        new StructField("patient_id", PrimitiveType.String),
        new StructField("code", PrimitiveType.String),
        new StructField("effective", PrimitiveType.Timestamp),
        new StructField("value", PrimitiveType.Double),
    ]);

    private readonly TempFolder _folder = new();

    private GovernedLake(Func<IObjectStore, IObjectStore>? wrap)
    {
        var keys = Path.Combine(_folder.Path, "keys");
        Keys = LocalKeyring.Create(Path.Combine(keys, "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(keys, "master.key")));
        Encrypted = new EncryptedObjectStore(new LocalObjectStore(Path.Combine(_folder.Path, "lake")), Keys);
        Store = wrap is null ? Encrypted : wrap(Encrypted);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public LocalKeyring Keys { get; }

    public EncryptedObjectStore Encrypted { get; }

    public IObjectStore Store { get; }

    public string Root => _folder.Path;

    public static PolicySet ShippedPolicies => PolicySet.Load(Path.Combine(RepoPaths.Root, "policies"));

    /// <summary>A lake with no table yet: keyring, encrypted store and the shipped policies only.</summary>
    public static GovernedLake CreateEmpty() => new(null);

    public static async Task<GovernedLake> CreateAsync(Func<IObjectStore, IObjectStore>? wrap = null)
    {
        var lake = new GovernedLake(wrap);
        var patients = await DeltaTable.CreateAsync(lake.Encrypted, "tables/views/patient", PatientSchema);
        await patients.AppendAsync(
        [
            ["p1", "female", "1961-04-12", "Martin", "Alice", "Lyon", "69003"],
            ["p2", "male", "1975-09-30", "Bernard", "Bruno", "Paris", "75011"],
            ["p3", "female", "1990-01-05", "Petit", "Chloe", "Nantes", "44000"],
            ["p4", "male", "1948-12-24", "Durand", "Denis", "Lille", "59000"],
        ]);
        var observations = await DeltaTable.CreateAsync(lake.Encrypted, "tables/views/observation", ObservationSchema);
        await observations.AppendAsync(Enumerable.Range(1, 8).Select(i => new object?[]
        {
            "o" + i, "p" + ((i - 1) % 4 + 1), "8867-4", new DateTimeOffset(2026, 1, i, 8, 0, 0, TimeSpan.Zero), 60.0 + i,
        }).Append(["o9", null, "8867-4", new DateTimeOffset(2026, 1, 9, 8, 0, 0, TimeSpan.Zero), 70.0]));
        var bronze = await BronzeTable.OpenAsync(lake.Encrypted, new DeltaTableOptions { TimeProvider = lake.Time });
        var at = lake.Time.GetUtcNow();
        await bronze.Table.AppendAsync(
        [
            Bronze("Patient", "p1", "1", at, "p1", """{"resourceType":"Patient","id":"p1"}"""),
            Bronze("Consent", "c1", "1", at, "p1", Consent("c1", "p1", "active", "HRESCH")),
            Bronze("Consent", "c2", "1", at, "p2", Consent("c2", "p2", "active", "research")),
            Bronze("Consent", "c2", "2", at.AddDays(1), "p2", Consent("c2", "p2", "inactive", "research")),
            Bronze("Consent", "c3", "1", at, "p3", Consent("c3", "p3", "active", "research")),
            Bronze("Consent", "c4", "1", at, "p4", Consent("c4", "p4", "active", "TREAT")),
        ]);
        return lake;
    }

    public async Task<LakeGovernance> GovernanceAsync(PolicySet? policies = null) =>
        await LakeGovernance.OpenAsync(Store, Keys, policies ?? ShippedPolicies, Time);

    public async Task<QueryEngine> EngineAsync(string role, string purpose, string entryPoint = "cli-sql", PolicySet? policies = null)
    {
        var governance = await GovernanceAsync(policies);
        return new QueryEngine(Store, governance.QueryOptions(new AccessIdentity("tester", role, purpose), entryPoint));
    }

    public static string Consent(string id, string patient, string status, string purpose) => $$$"""
        {"resourceType":"Consent","id":"{{{id}}}","status":"{{{status}}}","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"research"}]},"category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],"patient":{"reference":"Patient/{{{patient}}}"},"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},"provision":{"type":"permit","purpose":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"{{{purpose}}}"}]}}
        """;

    private static object?[] Bronze(string type, string id, string version, DateTimeOffset updated, string patient, string json) =>
        [type, id, version, updated, false, patient, "test", "raw/payloads/00/test.ndjson", 1L, null, updated, json];

    public void Dispose() => _folder.Dispose();
}
