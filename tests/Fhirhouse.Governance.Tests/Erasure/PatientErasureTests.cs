using Fhirhouse.Lake.Raw;
using Fhirhouse.Lake.Quarantine;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Lake.Bronze;
using System.Text;
using System.Text.Json.Nodes;
using Fhirhouse.Governance.Erasure;
using Fhirhouse.Ingest.Sources;
using Fhirhouse.Server.Export;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Views;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Tests.Erasure;

/// <summary>Issue 7's erasure proof: a built lake, one patient erased, then every object and every readable version scanned.</summary>
public sealed class PatientErasureTests
{
    /// <summary>The options a host gives: the participants of the rooms that keep job state (the server's exports, the sources' resume state).</summary>
    private static ErasureOptions Options(GovernanceLake lake, RecordingErasureAudit audit, bool dryRun = false) => new()
    {
        Operator = "dpo@hospital",
        Audit = audit,
        DryRun = dryRun,
        Participants = [new ExportErasure(lake.Store), new SourceStateErasure(lake.Store)],
    };

    /// <summary>What identifies the patient: id, identifier values, names, telecom and address lines, leaving out words found in anything not theirs (another patient, a practitioner of the same name).</summary>
    private static List<string> NeedlesOf(GovernanceLake lake, string patientId)
    {
        static IEnumerable<string> Values(JsonObject p) =>
            p["identifier"]!.AsArray().Select(i => (string)i!["value"]!)
                .Concat(p["name"]!.AsArray().SelectMany(n => n!["given"]!.AsArray().Select(g => (string)g!).Append((string)n["family"]!)))
                .Concat(p["telecom"]!.AsArray().Select(t => (string)t!["value"]!))
                .Concat(p["address"]!.AsArray().SelectMany(a => a!["line"]!.AsArray().Select(l => (string)l!)));
        var others = lake.Resources.Where(r => r.Patient != patientId && r.Key != "Patient/" + patientId).Select(r => r.Json).ToList();
        var needles = Values(lake.Patients[patientId]).Where(v => !others.Any(o => o.Contains(v, StringComparison.Ordinal))).Prepend(patientId).Distinct().ToList();
        Assert.True(needles.Count >= 4, $"too few distinguishing needles: {needles.Count}");
        return needles;
    }

    /// <summary>Rows of every table, by table, as text without raw pointers (which an erasure moves), sorted.</summary>
    private static async Task<Dictionary<string, List<string>>> RowsByTableAsync(IObjectStore store)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var path in await LakeScan.TablesAsync(store))
        {
            var snapshot = await (await Delta.DeltaTable.OpenAsync(store, path)).GetSnapshotAsync();
            var moved = path == RawManifestTable.TablePath ? new[] { "raw_key", "sha256", "size", "status", "resources" } : ["raw_key"];
            var skip = moved.Select(snapshot.Schema.IndexOf).ToHashSet();
            var rows = await snapshot.ReadRowsAsync().Select(r => string.Join('|', r.Where((_, i) => !skip.Contains(i))
                .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).ToListAsync();
            rows.Sort(StringComparer.Ordinal);
            result[path] = rows;
        }

        return result;
    }

    private static bool IsTheirs(string row, string patientId, HashSet<string> keys)
    {
        var values = row.Split('|');
        if (values.Any(v => v == patientId || keys.Contains(v)))
        {
            return true;
        }

        // fhir_current, bronze: resource_type and id side by side.
        return values.Zip(values.Skip(1)).Any(p => keys.Contains(p.First + "/" + p.Second));
    }

    [Fact]
    public async Task An_erased_patient_is_in_no_object_and_no_readable_version_and_everyone_else_is_unchanged()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 20, seed: 17, quarantinedPatient: null);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).ElementAt(3);
        var needles = NeedlesOf(lake, patientId);
        var keys = lake.KeysOf(patientId);
        var before = await RowsByTableAsync(lake.Store);
        Assert.NotEmpty(await LakeScan.ObjectsHoldingAsync(lake, needles));
        Assert.NotEmpty(await LakeScan.VersionsHoldingAsync(lake, needles));

        var audit = new RecordingErasureAudit();
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var report = await erasure.EraseAsync(patientId, Options(lake, audit));

        Assert.Empty(await LakeScan.ObjectsHoldingAsync(lake, needles));
        Assert.Empty(await LakeScan.VersionsHoldingAsync(lake, needles));
        var after = await RowsByTableAsync(lake.Store);

        // The one table the erasure adds to: the ledger, with the subject's keyed hash (no patient id).
        Assert.Equal(before.Keys.Append(ErasureLedger.TablePath).Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith(erasure.SubjectOf(patientId) + "|", Assert.Single(after[ErasureLedger.TablePath]), StringComparison.Ordinal);
        after.Remove(ErasureLedger.TablePath);
        foreach (var path in new[] { BronzeTable.TablePath, ViewTables.CurrentVersions, ViewTables.PathOf("patient"), ViewTables.PathOf("observation"), GovernanceLake.GoldTable })
        {
            Assert.True(before[path].Count > after[path].Count, $"{path}: the patient had no rows before");
        }

        foreach (var (path, rows) in before)
        {
            var expected = rows.Where(r => !IsTheirs(r, patientId, keys)).ToList();
            Assert.Equal(expected, after[path]);
        }

        Assert.False(report.NothingFound);
        Assert.True(erasure.Signer.Verify(report));
        Assert.Equal(erasure.SubjectOf(patientId), report.Subject);
        Assert.Contains(report.Tables, t => t.Path == BronzeTable.TablePath && t.RowsDeleted == before[BronzeTable.TablePath].Count - after[BronzeTable.TablePath].Count);
        Assert.Contains(report.Tables, t => t.Path == GovernanceLake.GoldTable && t.RowsDeleted == 1);
        Assert.Contains(report.Tables, t => t.Path == ViewTables.PathOf("observation") && t.FilesVacuumed.Count > 0 && t.LogFilesRemoved > 0);
        Assert.NotEmpty(report.Payloads);
        Assert.All(report.Payloads, p => Assert.NotNull(p.NewKey));
        Assert.Contains(report.JobFiles, f => f.Key == GovernanceLake.ExportFolder + "Patient-1.ndjson" && f.Action == "rewritten" && f.Removed == 1);

        var json = Encoding.UTF8.GetString(ErasureReportSigner.Serialize(report));
        Assert.DoesNotContain(patientId, json, StringComparison.Ordinal);
        var stored = Assert.Single(await lake.Store.ListAsync(PatientErasure.ReportsPrefix).ToListAsync());
        Assert.Equal(report, await erasure.ReadReportAsync(stored.Key), ReportComparer.Instance);
        Assert.Equal(["started", "completed"], audit.Events.Select(e => e.Outcome));
        Assert.All(audit.Events, e => Assert.Equal(report.Subject, e.Subject));
        Assert.DoesNotContain(patientId, System.Text.Json.JsonSerializer.Serialize(audit.Events), StringComparison.Ordinal);
        Assert.Equal(stored.Key, audit.Events[1].ReportKey);

        var job = JsonNode.Parse(await lake.Store.ReadAllBytesAsync(GovernanceLake.ExportFolder + "job.json"))!;
        var patientFile = job["files"]!.AsArray().Single(f => (string)f!["name"]! == "Patient-1.ndjson")!;
        Assert.Equal(lake.Patients.Count - 1, (long)patientFile["count"]!);
    }

    [Fact]
    public async Task Erasing_twice_finds_nothing_the_second_time_and_says_so_in_a_signed_report()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 4, seed: 3);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var audit = new RecordingErasureAudit();
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var first = await erasure.EraseAsync(patientId, Options(lake, audit));
        var rows = await RowsByTableAsync(lake.Store);

        var second = await erasure.EraseAsync(patientId, Options(lake, audit));

        Assert.False(first.NothingFound);
        Assert.True(second.NothingFound);
        Assert.Empty(second.Tables);
        Assert.Empty(second.Payloads);
        Assert.True(erasure.Signer.Verify(second));
        Assert.Equal(rows, await RowsByTableAsync(lake.Store));
        Assert.Equal(2, (await lake.Store.ListAsync(PatientErasure.ReportsPrefix).ToListAsync()).Count);
    }

    [Theory]
    [InlineData("raw", 1)]
    [InlineData("tables", 3)]
    [InlineData("time travel", 2)]
    public async Task An_erasure_interrupted_midway_is_completed_by_the_next_run(string zone, int step)
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 4, seed: 5, quarantinedPatient: null);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).Last();
        var needles = NeedlesOf(lake, patientId);
        var audit = new RecordingErasureAudit();
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);

        var crash = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            erasure.EraseAsync(patientId, Options(lake, audit), new CrashAt(zone, step)));
        Assert.Equal("injected crash", crash.Message);
        Assert.Equal("failed", audit.Events[^1].Outcome);

        var report = await erasure.EraseAsync(patientId, Options(lake, audit));

        Assert.False(report.NothingFound);
        Assert.Empty(await LakeScan.ObjectsHoldingAsync(lake, needles));
        Assert.Empty(await LakeScan.VersionsHoldingAsync(lake, needles));
        Assert.Empty(await lake.Store.ListAsync(PatientErasure.Prefix + "in-progress/").ToListAsync());
    }

    [Fact]
    public async Task A_quarantined_line_of_the_patient_goes_with_them_and_the_other_lines_of_its_payload_stay()
    {
        var lake0 = await GovernanceLake.BuildAsync(patients: 3, seed: 11);
        var patientId = lake0.Patients.Keys.Order(StringComparer.Ordinal).First();
        lake0.Dispose();
        using var lake = await GovernanceLake.BuildAsync(patients: 3, seed: 11, quarantinedPatient: patientId);
        var quarantined = await LakeScan.RowsAsync(lake.Store, QuarantineTable.TablePath);
        var bronzeBefore = await LakeScan.RowsAsync(lake.Store, BronzeTable.TablePath);
        Assert.Single(quarantined);
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);

        var report = await erasure.EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));

        Assert.Empty(await LakeScan.RowsAsync(lake.Store, QuarantineTable.TablePath));
        var mixed = Assert.Single(report.Payloads, p => p.Key == (string)quarantined[0][1]!);   // the payload that held the quarantined line
        Assert.Equal([2L], mixed.EmptiedLines);
        var survivor = Assert.Single((await LakeScan.RowsAsync(lake.Store, BronzeTable.TablePath)), r => (string)r[7]! == mixed.NewKey);
        Assert.Equal(1L, survivor[8]);
        Assert.Contains(bronzeBefore, r => (string)r[1]! == (string)survivor[1]! && (string)r[7]! == mixed.Key);
        var payload = Encoding.UTF8.GetString(await lake.Store.ReadAllBytesAsync(mixed.NewKey!));
        Assert.Equal(2, payload.Split('\n').Length - 1);
        Assert.DoesNotContain(patientId, payload, StringComparison.Ordinal);
        Assert.False(await lake.Store.ExistsAsync(mixed.Key));
    }

    [Fact]
    public async Task A_dry_run_counts_what_the_erasure_removes_and_changes_nothing_but_the_audit()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 4, seed: 8);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var objects = await lake.Plain.ListAsync("").Select(o => (o.Key, o.Size)).ToListAsync();

        var dry = await erasure.EraseAsync(patientId, Options(lake, new RecordingErasureAudit(), dryRun: true));

        Assert.Equal(objects, await lake.Plain.ListAsync("").Select(o => (o.Key, o.Size)).ToListAsync());
        var real = await erasure.EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));
        Assert.True(dry.DryRun);
        Assert.Equal(real.Tables.Where(t => t.RowsDeleted > 0).Select(t => (t.Path, t.RowsDeleted)), dry.Tables.Select(t => (t.Path, t.RowsDeleted)));
        Assert.Equal(real.Payloads.Select(p => (p.Key, p.NewKey, p.Removed)), dry.Payloads.Select(p => (p.Key, p.NewKey, p.Removed)));
        Assert.Equal(real.JobFiles, dry.JobFiles);
    }

    [Fact]
    public async Task A_failing_audit_stops_the_erasure_before_anything_is_read_or_removed()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 2, seed: 2);
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var objects = await lake.Plain.ListAsync("").Select(o => (o.Key, o.Size)).ToListAsync();

        await Assert.ThrowsAsync<IOException>(() => erasure.EraseAsync(lake.Patients.Keys.First(), Options(lake, new RecordingErasureAudit { Broken = true })));

        Assert.Equal(objects, await lake.Plain.ListAsync("").Select(o => (o.Key, o.Size)).ToListAsync());
    }

    [Fact]
    public async Task A_tampered_report_does_not_verify_and_another_lake_cannot_verify_it()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 2, seed: 4);
        using var other = await GovernanceLake.BuildAsync(patients: 1, seed: 4);
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var report = await erasure.EraseAsync(lake.Patients.Keys.First(), Options(lake, new RecordingErasureAudit()));

        Assert.True(erasure.Signer.Verify(report));
        Assert.False(erasure.Signer.Verify(report with { Operator = "someone else" }));
        Assert.False(erasure.Signer.Verify(report with { Tables = report.Tables.Skip(1).ToList() }));
        Assert.False((await PatientErasure.OpenAsync(other.Store, other.Keys)).Signer.Verify(report));
        Assert.NotEqual(erasure.SubjectOf("x"), (await PatientErasure.OpenAsync(other.Store, other.Keys)).SubjectOf("x"));
    }

    [Fact]
    public async Task After_an_erasure_the_lake_takes_new_data_and_its_views_refresh_from_the_change_feed()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 3, seed: 6);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var erasure = await PatientErasure.OpenAsync(lake.Store, lake.Keys);
        var report = await erasure.EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));
        Assert.Empty(report.NeedRebuild);

        var newcomer = Path.Combine(lake.Root, "newcomer.ndjson");
        await File.WriteAllTextAsync(newcomer, "{\"resourceType\":\"Patient\",\"id\":\"newcomer\",\"gender\":\"other\"}\n");
        var ingestor = await Lake.Landing.PayloadIngestor.OpenAsync(lake.Store, new Lake.Landing.IngestOptions());
        await new Ingest.Files.FileIngestor(ingestor).IngestAsync(Ingest.Files.FileIngestor.Resolve([newcomer]));
        var views = await ViewMaterializer.OpenAsync(lake.Store);
        var refreshed = await views.RefreshAsync(Fhir.Views.DefaultViews.All);

        Assert.Contains(refreshed, r => r.View == "patient" && r.Kind == ViewMaterializationKind.Refreshed);
        var patients = await LakeScan.RowsAsync(lake.Store, ViewTables.PathOf("patient"));
        Assert.Equal(lake.Patients.Count, patients.Count);
        Assert.Contains(patients, r => (string?)r[0] == "newcomer");
        Assert.DoesNotContain(patients, r => (string?)r[0] == patientId);
    }

    [Fact]
    public async Task A_patient_deleted_before_the_erasure_is_gone_from_the_views_history_and_their_delete_bundle_from_the_raw_zone()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 3, seed: 9);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var needles = NeedlesOf(lake, patientId);
        var bundle = Path.Combine(lake.Root, "delete.json");
        await File.WriteAllTextAsync(bundle, $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"Patient/{{{patientId}}}"}}]}""");
        var ingestor = await Lake.Landing.PayloadIngestor.OpenAsync(lake.Store, new Lake.Landing.IngestOptions());
        await new Ingest.Files.FileIngestor(ingestor).IngestAsync(Ingest.Files.FileIngestor.Resolve([bundle]));
        await (await ViewMaterializer.OpenAsync(lake.Store)).RefreshAsync(Fhir.Views.DefaultViews.All);
        Assert.DoesNotContain(await LakeScan.RowsAsync(lake.Store, ViewTables.PathOf("patient")), r => (string?)r[0] == patientId);
        var manifest = await LakeScan.RowsAsync(lake.Store, RawManifestTable.TablePath);

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));

        Assert.Empty(await LakeScan.ObjectsHoldingAsync(lake, needles));
        Assert.Empty(await LakeScan.VersionsHoldingAsync(lake, needles));
        Assert.Contains(report.Payloads, p => p.NewKey is null && p.Key.EndsWith(".json", StringComparison.Ordinal));
        Assert.Equal(manifest.Count - report.Payloads.Count(p => p.NewKey is null), (await LakeScan.RowsAsync(lake.Store, RawManifestTable.TablePath)).Count);
        Assert.Contains(report.Tables, t => t.Path == ViewTables.PathOf("patient") && t.LogFilesRemoved > 0);
    }

    [Fact]
    public async Task A_shared_bundle_loses_the_patients_entries_and_a_gzipped_ndjson_their_lines_the_others_staying_readable()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 2, seed: 12);
        var ids = lake.Patients.Keys.Order(StringComparer.Ordinal).ToList();
        var (gone, kept) = (ids[0], ids[1]);
        var resources = lake.Resources.Where(r => r.Patient is not null && r.Key.StartsWith("Observation/", StringComparison.Ordinal)).GroupBy(r => r.Patient!)
            .ToDictionary(g => g.Key, g => g.Take(3).Select(r => JsonNode.Parse(r.Json)!.AsObject()).ToList(), StringComparer.Ordinal);
        var entries = new JsonArray();
        foreach (var resource in resources[gone].Concat(resources[kept]))
        {
            resource["meta"]!["versionId"] = "7";
            entries.Add(new JsonObject { ["resource"] = resource.DeepClone(), ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = "Observation/" + (string)resource["id"]! } });
        }

        var bundle = Path.Combine(lake.Root, "shared.json");
        await File.WriteAllTextAsync(bundle, new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries }.ToJsonString());
        var gzipped = Path.Combine(lake.Root, "shared.ndjson.gz");
        await using (var gzip = new System.IO.Compression.GZipStream(File.Create(gzipped), System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Join('\n', resources[kept].Concat(resources[gone]).Select(r => { r["meta"]!["versionId"] = "8"; return r.ToJsonString(); })) + "\n"));
        }

        var ingestor = await Lake.Landing.PayloadIngestor.OpenAsync(lake.Store, new Lake.Landing.IngestOptions());
        await new Ingest.Files.FileIngestor(ingestor).IngestAsync(Ingest.Files.FileIngestor.Resolve([bundle, gzipped]));

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(gone, Options(lake, new RecordingErasureAudit()));

        var bronze = await ingestor.Bronze.ReadAllAsync().ToListAsync();
        Assert.DoesNotContain(bronze, r => r.PatientId == gone);
        foreach (var (extension, version, lines) in new[] { (".json", "7", Array.Empty<long>()), (".ndjson.gz", "8", [4L, 5, 6]) })
        {
            var payload = Assert.Single(report.Payloads, p => p.Key.EndsWith(extension, StringComparison.Ordinal));
            Assert.Equal(3, payload.Removed);
            Assert.Equal(lines, payload.EmptiedLines);
            var survivors = bronze.Where(r => r.VersionId == version).ToList();
            Assert.Equal(3, survivors.Count);
            Assert.All(survivors, r => Assert.Equal((payload.NewKey, kept), (r.RawKey, r.PatientId)));
            var bytes = await lake.Store.ReadAllBytesAsync(payload.NewKey!);
            var text = extension == ".json" ? Encoding.UTF8.GetString(bytes) : new StreamReader(new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress)).ReadToEnd();
            Assert.DoesNotContain(gone, text, StringComparison.Ordinal);
            Assert.Equal(3, resources[kept].Count(r => text.Contains((string)r["id"]!, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Data_landing_in_bronze_during_an_erasure_leaves_the_views_for_a_rebuild_instead_of_skipping_it()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 2, seed: 14);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var newcomer = Path.Combine(lake.Root, "newcomer.ndjson");
        await File.WriteAllTextAsync(newcomer, "{\"resourceType\":\"Patient\",\"id\":\"newcomer\"}\n");
        var ingestor = await Lake.Landing.PayloadIngestor.OpenAsync(lake.Store, new Lake.Landing.IngestOptions());
        var landed = false;
        var concurrentIngest = new OnProgress(p =>
        {
            if (p.Zone == "tables" && !landed)
            {
                landed = true;
                new Ingest.Files.FileIngestor(ingestor).IngestAsync(Ingest.Files.FileIngestor.Resolve([newcomer])).GetAwaiter().GetResult();
            }
        });

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(patientId, Options(lake, new RecordingErasureAudit()), concurrentIngest);

        Assert.True(landed);
        Assert.Contains(ViewTables.PathOf("patient"), report.NeedRebuild);
        Assert.Contains(ViewTables.CurrentVersions, report.NeedRebuild);
        await (await ViewMaterializer.OpenAsync(lake.Store)).BuildAsync(Fhir.Views.DefaultViews.All);
        var patients = await LakeScan.RowsAsync(lake.Store, ViewTables.PathOf("patient"));
        Assert.Equal(new[] { "newcomer", lake.Patients.Keys.Single(k => k != patientId) }.Order(StringComparer.Ordinal), patients.Select(r => (string)r[0]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_gold_table_that_dropped_the_patient_before_the_erasure_loses_the_versions_that_held_them()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 2, seed: 15);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var gold = await Delta.DeltaTable.OpenAsync(lake.Store, GovernanceLake.GoldTable);
        await gold.DeleteAsync(r => (string?)r[0] == patientId);
        var quiet = await Delta.DeltaTable.CreateAsync(lake.Store, "tables/gold/quiet", new Delta.Schema.StructType([new Delta.Schema.StructField("patient_id", Delta.Schema.PrimitiveType.String)]));
        await quiet.AppendAsync([["someone-else"]]);
        await quiet.AppendAsync([["another"]]);

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));

        var settled = Assert.Single(report.Tables, t => t.Path == GovernanceLake.GoldTable);
        Assert.Equal(0, settled.RowsDeleted);
        Assert.Empty(await LakeScan.VersionsHoldingAsync(lake, [patientId]));
        Assert.DoesNotContain(report.Tables, t => t.Path == "tables/gold/quiet");
        Assert.Equal(3, (await quiet.GetHistoryAsync()).Count);
    }

    [Fact]
    public async Task Resume_state_and_high_water_marks_survive_an_erasure_and_job_state_no_room_owns_is_still_cleared()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 4, seed: 3);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var other = lake.Patients.Keys.Order(StringComparer.Ordinal).Last();
        var objects = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // A Bulk Data client's unfinished job: server URLs and the files landed; the quoted id and a longer id that starts with it are not references to the patient.
            ["jobs/bulk/aaaa.json"] = $$"""{"kickOffUrl":"https://ehr.example/fhir/$export","statusUrl":"https://ehr.example/status/"{{patientId}}"","done":["https://ehr.example/files/Patient/{{patientId}}0.ndjson"],"finished":false}""",
            // A job that exported the patient alone: it goes.
            ["jobs/bulk/bbbb.json"] = $$"""{"kickOffUrl":"https://ehr.example/fhir/Patient/{{patientId}}/$everything","statusUrl":"https://ehr.example/status/2","done":[],"finished":true}""",
            ["jobs/sync/rest/cccc/Patient.json"] = """{"baseUrl":"https://ehr.example/fhir/","type":"Patient","highWater":"2026-01-01T00:00:00+00:00"}""",
            // Objects no room owns: deleted when they mention the patient, kept otherwise.
            ["jobs/scratch/notes.json"] = $$"""{"about":"Patient/{{patientId}}"}""",
            ["jobs/scratch/other.json"] = $$"""{"about":"Patient/{{other}}"}""",
        };
        foreach (var (key, text) in objects)
        {
            await lake.Store.PutAsync(key, Encoding.UTF8.GetBytes(text));
        }

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));

        foreach (var key in new[] { "jobs/bulk/aaaa.json", "jobs/sync/rest/cccc/Patient.json", "jobs/scratch/other.json" })
        {
            Assert.Equal(objects[key], Encoding.UTF8.GetString(await lake.Store.ReadAllBytesAsync(key)));
        }

        Assert.False(await lake.Store.ExistsAsync("jobs/bulk/bbbb.json"));
        Assert.False(await lake.Store.ExistsAsync("jobs/scratch/notes.json"));
        Assert.Contains(report.JobFiles, f => f.Key == "jobs/bulk/bbbb.json" && f.Action == "deleted");
        Assert.Contains(report.JobFiles, f => f.Key == "jobs/scratch/notes.json" && f.Action == "deleted");
        Assert.DoesNotContain(report.JobFiles, f => f.Key is "jobs/bulk/aaaa.json" or "jobs/sync/rest/cccc/Patient.json" or "jobs/scratch/other.json");
        Assert.Contains(report.Notes, n => n.Contains("Bulk Data server exports", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.Contains("source resume state", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_export_whose_request_names_the_patient_is_deleted_whole()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 4, seed: 3);
        var patientId = lake.Patients.Keys.Order(StringComparer.Ordinal).First();
        var folder = "jobs/exports/fedcba9876543210fedcba9876543210/";
        var job = $$"""{"id":"fedcba9876543210fedcba9876543210","status":"completed","request":{"level":"System","typeFilters":["Patient?_id={{patientId}}"],"lenient":false,"requestUrl":"http://localhost/$export?_typeFilter=Patient%3F_id%3D{{patientId}}"},"transactionTime":"2026-01-01T00:00:00+00:00","bronzeVersion":1,"files":[{"kind":"output","type":"Patient","name":"Patient-1.ndjson","count":1}]}""";
        await lake.Store.PutAsync(folder + "job.json", Encoding.UTF8.GetBytes(job));
        await lake.Store.PutAsync(folder + "Patient-1.ndjson", Encoding.UTF8.GetBytes(lake.Resources.First(r => r.Key == "Patient/" + patientId).Json + "\n"));

        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(patientId, Options(lake, new RecordingErasureAudit()));

        Assert.False(await lake.Store.ExistsAsync(folder + "job.json"));
        Assert.False(await lake.Store.ExistsAsync(folder + "Patient-1.ndjson"));
        Assert.Contains(report.JobFiles, f => f.Key == folder + "job.json" && f.Action == "deleted");
        Assert.True(await lake.Store.ExistsAsync(GovernanceLake.ExportFolder + "job.json"));
    }

    /// <summary>Throws from the progress callback at the given step of a zone: a crash midway, between two durable writes.</summary>
    private sealed class CrashAt(string zone, int step) : IProgress<ErasureProgress>
    {
        public void Report(ErasureProgress value)
        {
            if (value.Zone == zone && value.Done == step)
            {
                throw new InvalidOperationException("injected crash");
            }
        }
    }

    private sealed class OnProgress(Action<ErasureProgress> action) : IProgress<ErasureProgress>
    {
        public void Report(ErasureProgress value) => action(value);
    }

    /// <summary>Reports compared by their JSON (lists compare by content).</summary>
    private sealed class ReportComparer : IEqualityComparer<ErasureReport>
    {
        public static readonly ReportComparer Instance = new();

        public bool Equals(ErasureReport? x, ErasureReport? y) =>
            x is not null && y is not null && ErasureReportSigner.Serialize(x).AsSpan().SequenceEqual(ErasureReportSigner.Serialize(y));

        public int GetHashCode(ErasureReport obj) => 0;
    }
}
