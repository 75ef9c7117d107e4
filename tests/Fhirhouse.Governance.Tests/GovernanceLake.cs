using System.Text.Json.Nodes;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Governance.Tests;

/// <summary>
/// A generated hospital ingested into an encrypted local lake (keyring beside it) with everything built: bronze,
/// quarantine, the raw manifest, fhir_current and the default views, a gold table, a second version of one patient
/// (so the views refreshed from the change feed) and a bulk export's files under jobs/exports/.
/// </summary>
internal sealed class GovernanceLake : IDisposable
{
    public const string GoldTable = "tables/gold/patient_activity";
    public const string ExportFolder = "jobs/exports/0123456789abcdef0123456789abcdef/";

    private readonly TempFolder _folder = new();

    private GovernanceLake()
    {
        Plain = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        Keys = LocalKeyring.Create(Path.Combine(_folder.Path, "keys", "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(_folder.Path, "keys", "master.key")));
        Store = new EncryptedObjectStore(Plain, Keys);
    }

    public string Root => _folder.Path;

    public LocalObjectStore Plain { get; }

    public LocalKeyring Keys { get; }

    public IObjectStore Store { get; }

    /// <summary>Every Patient resource generated, by id, as JSON.</summary>
    public Dictionary<string, JsonObject> Patients { get; } = new(StringComparer.Ordinal);

    /// <summary>Patient id of each generated resource ("Type/id" to patient id), from bronze.</summary>
    public Dictionary<string, string> OwnerOf { get; } = new(StringComparer.Ordinal);

    public static async Task<GovernanceLake> BuildAsync(int patients, int seed, string? quarantinedPatient = null)
    {
        var lake = new GovernanceLake();
        var hospital = Path.Combine(lake.Root, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = seed, MaxResourcesPerFile = 60 }).Generate(hospital);
        var files = generated.Files.Select(f => Path.Combine(hospital, f)).ToList();
        foreach (var line in files.Where(f => Path.GetFileName(f).StartsWith("Patient.", StringComparison.Ordinal)).SelectMany(File.ReadLines).Where(l => l.Length > 0))
        {
            var patient = JsonNode.Parse(line)!.AsObject();
            lake.Patients[(string)patient["id"]!] = patient;
        }

        var ingestor = await PayloadIngestor.OpenAsync(lake.Store, new IngestOptions());
        await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(files));
        var views = await ViewMaterializer.OpenAsync(lake.Store);
        await views.BuildAsync(DefaultViews.All);

        await foreach (var row in ingestor.Bronze.ReadAllAsync())
        {
            if (row.PatientId is { } owner)
            {
                lake.OwnerOf[row.ResourceType + "/" + row.Id] = owner;
            }

            lake.Resources.Add((row.ResourceType + "/" + row.Id, row.PatientId, row.Resource ?? ""));
        }

        // A second version of every patient's Patient resource (a new phone), refreshed into the views from the change feed.
        var updates = Path.Combine(lake.Root, "updates.ndjson");
        await File.WriteAllLinesAsync(updates, lake.Patients.Values.Select(p =>
        {
            var copy = p.DeepClone().AsObject();
            copy["meta"]!["versionId"] = "2";
            copy["meta"]!["lastUpdated"] = "2026-01-01T00:00:00Z";
            copy["telecom"] = new JsonArray(new JsonObject { ["system"] = "phone", ["value"] = "+33 1 00 00 " + ((string)p["id"]!)[..4], ["use"] = "home" });
            return copy.ToJsonString();
        }));
        var extra = new List<string> { updates };
        if (quarantinedPatient is not null)
        {
            // A truncated line of the patient's (quarantined, id unreadable) beside a good line of another patient.
            var observations = files.Where(f => Path.GetFileName(f).StartsWith("Observation.", StringComparison.Ordinal)).SelectMany(File.ReadLines).Where(l => l.Length > 0).ToList();
            var theirs = observations.First(l => l.Contains("Patient/" + quarantinedPatient, StringComparison.Ordinal));
            var cut = theirs.IndexOf("Patient/" + quarantinedPatient, StringComparison.Ordinal) + quarantinedPatient.Length + 12;
            var other = observations.First(l => !l.Contains("Patient/" + quarantinedPatient, StringComparison.Ordinal));
            var mixed = Path.Combine(lake.Root, "mixed.ndjson");
            await File.WriteAllLinesAsync(mixed, [other.Replace("\"id\":\"", "\"id\":\"x", StringComparison.Ordinal), theirs[..cut]]);
            extra.Add(mixed);
        }

        await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(extra));
        await views.RefreshAsync(DefaultViews.All);

        var gold = await DeltaTable.CreateAsync(lake.Store, GoldTable, new StructType(
        [
            new StructField("patient_id", PrimitiveType.String),
            new StructField("resources", PrimitiveType.Long),
        ]));
        await gold.AppendAsync(lake.OwnerOf.Values.GroupBy(p => p, StringComparer.Ordinal).Select(g => new object?[] { g.Key, (long)g.Count() }));

        // A finished bulk export: every Observation and Patient, and its job document listing the files and their counts.
        var current = await ingestor.Bronze.ReadCurrentAsync();
        var job = new JsonObject
        {
            ["id"] = ExportFolder[13..^1],
            ["status"] = "completed",
            ["request"] = new JsonObject { ["level"] = "System", ["typeFilters"] = new JsonArray(), ["lenient"] = false, ["requestUrl"] = "http://localhost/$export" },
            ["transactionTime"] = "2026-01-01T00:00:00+00:00",
            ["bronzeVersion"] = 1,
            ["files"] = new JsonArray(),
        };
        foreach (var type in new[] { "Observation", "Patient" })
        {
            var lines = current.Values.Where(r => r.ResourceType == type && r.Resource is not null).Select(r => r.Resource!).ToList();
            await lake.Store.PutAsync(ExportFolder + type + "-1.ndjson", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
            job["files"]!.AsArray().Add(new JsonObject { ["kind"] = "output", ["type"] = type, ["name"] = type + "-1.ndjson", ["count"] = lines.Count });
        }

        await lake.Store.PutAsync(ExportFolder + "job.json", System.Text.Encoding.UTF8.GetBytes(job.ToJsonString()));
        return lake;
    }

    /// <summary>Every resource ingested: its key, its patient (null outside any compartment) and its JSON.</summary>
    public List<(string Key, string? Patient, string Json)> Resources { get; } = [];

    /// <summary>The resource keys of one patient (theirs by compartment, and Patient/ID).</summary>
    public HashSet<string> KeysOf(string patientId) =>
        [.. OwnerOf.Where(kv => kv.Value == patientId).Select(kv => kv.Key), "Patient/" + patientId];

    public void Dispose() => _folder.Dispose();
}
