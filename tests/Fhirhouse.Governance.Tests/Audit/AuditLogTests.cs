using Fhirhouse.Governance.Audit;
using Hl7.Fhir.Serialization;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Ingest.Validation;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Query;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public async Task Every_query_ok_denied_or_failed_appends_exactly_one_row_with_who_what_and_how_it_ended()
    {
        using var lake = await GovernedLake.CreateAsync();
        string[] ok = ["SELECT id FROM patient", "SELECT count(*) FROM observation o JOIN patient p ON o.patient_id = p.id", "SELECT 42"];
        string[] denied = ["SELECT * FROM fhir_resources", "SELECT * FROM read_parquet('x.parquet')"];
        string[] failed = ["SELECT no_such_column FROM patient", "DELETE FROM patient"];
        using (var engine = await lake.EngineAsync("data-scientist", "research", EntryPoints.Shell))
        {
            foreach (var sql in ok)
            {
                await engine.ExecuteAsync(sql);
                lake.Time.Advance(TimeSpan.FromSeconds(1));
            }

            foreach (var sql in denied)
            {
                await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync(sql));
                lake.Time.Advance(TimeSpan.FromSeconds(1));
            }

            foreach (var sql in failed)
            {
                await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync(sql));
                lake.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var rows = await new AuditLog(lake.Store, lake.Time).ListAsync();

        Assert.Equal(ok.Length + denied.Length + failed.Length, rows.Count);
        Assert.Equal([.. ok, .. denied, .. failed], rows.Select(r => r.Entry.Query));
        Assert.Equal(rows.Count, rows.Select(r => r.EventId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(rows, r => Assert.Equal(("tester", "data-scientist", "research", "shell"), (r.Entry.User, r.Entry.Role, r.Entry.Purpose, r.Entry.EntryPoint)));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), rows[0].Time);
        Assert.Equal(["ok", "ok", "ok", "denied", "denied", "error", "error"], rows.Select(r => r.Entry.Outcome));
        Assert.Equal([2L, 1L, 1L, 0L, 0L, 0L, 0L], rows.Select(r => r.Entry.Rows));
        Assert.Equal(["patient"], rows[0].Entry.Tables);
        Assert.Equal(["observation", "patient"], rows[1].Entry.Tables.Order(StringComparer.Ordinal));
        Assert.Empty(rows[2].Entry.Tables);
        Assert.Null(rows[0].Entry.Reason);
        Assert.Contains("rule 'research-no-raw-data'", rows[3].Entry.Reason, StringComparison.Ordinal);
        Assert.Contains("read_parquet", rows[4].Entry.Reason, StringComparison.Ordinal);
        Assert.Contains("no_such_column", rows[5].Entry.Reason, StringComparison.Ordinal);
        Assert.Contains("'DELETE' was refused", rows[6].Entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_audit_cannot_be_written_the_query_fails_and_returns_nothing()
    {
        AuditFailingStore? failing = null;
        using var lake = await GovernedLake.CreateAsync(inner => failing = new AuditFailingStore(inner));
        using var engine = await lake.EngineAsync("clinician", "treatment");
        var target = Path.Combine(lake.Root, "export.parquet");

        var read = await Assert.ThrowsAsync<IOException>(() => engine.ExecuteAsync("SELECT family FROM patient"));
        var export = await Assert.ThrowsAsync<IOException>(() => engine.ExportParquetAsync("SELECT family FROM patient", target));
        var refusal = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT * FROM audit_log"));

        Assert.Contains("audit log (tables/audit_log) could not be", read.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", export.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.Contains("audit record of this refusal could not be written", refusal.Message, StringComparison.Ordinal);
        Assert.True(failing!.FailedWrites >= 3);
        Assert.Empty(await new AuditLog(lake.Encrypted, lake.Time).ListAsync());
    }

    [Fact]
    public async Task Audit_rows_export_as_FHIR_AuditEvents_that_the_Firely_validator_accepts()
    {
        using var lake = await GovernedLake.CreateAsync();
        var log = new AuditLog(lake.Store, lake.Time);
        await log.AppendAsync(new AuditEntry("alice", "analyst", "operations", EntryPoints.CliSql, "SELECT count(*) FROM patient", ["patient"], 1, AuditOutcomes.Ok, null));
        lake.Time.Advance(TimeSpan.FromSeconds(1));
        await log.AppendAsync(new AuditEntry("bob", "data-scientist", "research", EntryPoints.ServerExport, null, ["export.Patient"], 0, AuditOutcomes.Denied, "rule 'x' denies"));
        using var output = new MemoryStream();

        var written = await AuditEventWriter.WriteNdjsonAsync(await log.ListAsync(), output);

        Assert.Equal(2, written);
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var validator = new FirelyResourceValidator(Path.Combine(AppContext.BaseDirectory, "specification.zip"), Path.Combine(Path.GetTempPath(), "fhirhouse-firely-cache"));
        foreach (var line in lines)
        {
            Assert.Null(validator.Validate(System.Text.Encoding.UTF8.GetBytes(line)));
        }

        var parsed = (Hl7.Fhir.Model.AuditEvent)new FhirJsonDeserializer().DeserializeResource(lines[0]);
        Assert.Equal("alice", parsed.Agent[0].Who!.Identifier!.Value);
        Assert.Equal("SELECT count(*) FROM patient", System.Text.Encoding.UTF8.GetString(parsed.Entity.Single(e => e.Query is not null).Query!));
        Assert.Equal(Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N0, parsed.Outcome);
        Assert.Equal("4", System.Text.Json.JsonDocument.Parse(lines[1]).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AppendAsync_gives_each_entry_an_id_and_the_injected_time()
    {
        using var lake = await GovernedLake.CreateAsync();
        var log = new AuditLog(lake.Store, lake.Time);

        var first = await log.AppendAsync(new AuditEntry("ops", "admin", "operations", EntryPoints.Forget, "forget Patient/<hash>", ["fhir_resources"], 3, AuditOutcomes.Ok, null));
        lake.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await log.AppendAsync(new AuditEntry("ops", "admin", "operations", EntryPoints.Forget, null, [], 0, AuditOutcomes.Error, "boom"));

        Assert.Equal(lake.Time.GetUtcNow().AddMinutes(-5), first.Time);
        Assert.NotEqual(first.EventId, second.EventId);
        Assert.Equal([second], await log.ListAsync(since: lake.Time.GetUtcNow().AddMinutes(-1)), new RecordComparer());
    }

    private sealed class RecordComparer : IEqualityComparer<AuditRecord>
    {
        public bool Equals(AuditRecord? x, AuditRecord? y) => x?.EventId == y?.EventId && x?.Time == y?.Time && x?.Entry.Outcome == y?.Entry.Outcome;

        public int GetHashCode(AuditRecord obj) => obj.EventId.GetHashCode(StringComparison.Ordinal);
    }
}
