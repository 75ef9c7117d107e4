using Fhirhouse.Lake.Tables;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Fhirhouse.Governance.Research;
using Fhirhouse.Governance.Secrets;
using Fhirhouse.Query;

namespace Fhirhouse.Governance.Tests.Research;

/// <summary>Research exports from a generated hospital in an encrypted lake, read back as a researcher would.</summary>
public sealed class ResearchExporterTests : IAsyncLifetime
{
    private GovernanceLake _lake = null!;

    public async Task InitializeAsync() => _lake = await GovernanceLake.BuildAsync(patients: 4, seed: 21);

    public Task DisposeAsync()
    {
        _lake.Dispose();
        return Task.CompletedTask;
    }

    private string Out(string name) => Path.Combine(_lake.Root, name);

    private static async Task<ResearchExportResult> ExportAsync(GovernanceLake lake, ResearchExportOptions options)
    {
        var secrets = await LakeSecrets.OpenAsync(lake.Store, lake.Keys);
        return await new ResearchExporter(lake.Store, new QueryOptions { Catalog = new LakeCatalog(lake.Store) }, Pseudonymizer.For(secrets, options.MaxShiftDays)).ExportAsync(options);
    }

    private static List<Dictionary<string, object?>> ReadParquet(string path)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }

    private static List<JsonObject> ReadNdjson(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public async Task The_same_patient_gets_the_same_pseudonym_in_two_exports_and_tables_still_join()
    {
        await ExportAsync(_lake, new ResearchExportOptions { View = "patient", OutputPath = Out("p1.parquet") });
        await ExportAsync(_lake, new ResearchExportOptions { View = "patient", OutputPath = Out("p2.parquet"), Format = ResearchExportFormat.Ndjson });
        await ExportAsync(_lake, new ResearchExportOptions { View = "observation", OutputPath = Out("o.parquet") });

        var first = ReadParquet(Out("p1.parquet")).Select(r => (string)r["id"]!).Order(StringComparer.Ordinal).ToList();
        var second = ReadNdjson(Out("p2.parquet")).Select(r => (string)r["id"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(_lake.Patients.Count, first.Count);
        Assert.Equal(first, second);
        Assert.Empty(first.Intersect(_lake.Patients.Keys));
        var observations = ReadParquet(Out("o.parquet"));
        var observationPatients = observations.Select(r => ((string)r["patient_id"]!).Replace("Patient/", "", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(first.ToHashSet(StringComparer.Ordinal), observationPatients);
        Assert.All(observations, o => Assert.DoesNotContain((string)o["id"]!, _lake.OwnerOf.Keys.Select(k => k.Split('/')[1])));
    }

    [Fact]
    public async Task Another_lake_with_the_same_patients_gives_other_pseudonyms()
    {
        using var twin = await GovernanceLake.BuildAsync(patients: 4, seed: 21);
        Assert.Equal(_lake.Patients.Keys.Order(StringComparer.Ordinal), twin.Patients.Keys.Order(StringComparer.Ordinal));

        await ExportAsync(_lake, new ResearchExportOptions { View = "patient", OutputPath = Out("a.parquet") });
        await ExportAsync(twin, new ResearchExportOptions { View = "patient", OutputPath = Out("b.parquet") });

        var a = ReadParquet(Out("a.parquet")).Select(r => (string)r["id"]!).ToHashSet(StringComparer.Ordinal);
        var b = ReadParquet(Out("b.parquet")).Select(r => (string)r["id"]!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(4, a.Count);
        Assert.Empty(a.Intersect(b));
    }

    [Fact]
    public async Task Dates_move_by_one_shift_per_patient_so_intervals_within_a_patient_are_kept()
    {
        var sql = "SELECT id, patient_id, effective FROM observation WHERE effective IS NOT NULL ORDER BY id";
        await ExportAsync(_lake, new ResearchExportOptions { Sql = sql, OutputPath = Out("dates.ndjson"), Format = ResearchExportFormat.Ndjson, MaxShiftDays = 30 });

        using var engine = new QueryEngine(_lake.Store);
        var source = (await engine.ExecuteAsync(sql)).Rows;
        var exported = ReadNdjson(Out("dates.ndjson"));
        Assert.Equal(source.Count, exported.Count);
        var secrets = await LakeSecrets.OpenAsync(_lake.Store, _lake.Keys);
        var pseudonymizer = Pseudonymizer.For(secrets, 30);
        var byPseudonym = source.ToDictionary(r => pseudonymizer.Pseudonym((string)r[0]!), r => r, StringComparer.Ordinal);
        var shifts = new Dictionary<string, HashSet<double>>(StringComparer.Ordinal);
        foreach (var row in exported)
        {
            var original = byPseudonym[(string)row["id"]!];
            var moved = DateTimeOffset.Parse((string)row["effective"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)original[2]!, CultureInfo.InvariantCulture);
            Assert.Equal(0, moved.TotalDays % 1);
            Assert.InRange(Math.Abs(moved.TotalDays), 1, 30);
            shifts.TryAdd((string)original[1]!, []);
            shifts[(string)original[1]!].Add(moved.TotalDays);
        }

        Assert.True(shifts.Count > 1);
        Assert.All(shifts.Values, s => Assert.Single(s));
    }

    [Fact]
    public async Task Resources_lose_names_addresses_contacts_and_free_text_unless_text_is_asked_for()
    {
        await ExportAsync(_lake, new ResearchExportOptions { ResourceType = "Patient", OutputPath = Out("patients.ndjson"), Format = ResearchExportFormat.Ndjson });
        await ExportAsync(_lake, new ResearchExportOptions { ResourceType = "DocumentReference", OutputPath = Out("docs.ndjson"), Format = ResearchExportFormat.Ndjson });
        await ExportAsync(_lake, new ResearchExportOptions { ResourceType = "DocumentReference", OutputPath = Out("docs-text.ndjson"), Format = ResearchExportFormat.Ndjson, KeepText = true });

        var patients = ReadNdjson(Out("patients.ndjson"));
        Assert.Equal(_lake.Patients.Count, patients.Count);
        Assert.All(patients, p => Assert.False(p.ContainsKey("name") || p.ContainsKey("address") || p.ContainsKey("telecom")));
        var text = File.ReadAllText(Out("patients.ndjson")) + File.ReadAllText(Out("docs.ndjson"));
        foreach (var patient in _lake.Patients.Values)
        {
            Assert.DoesNotContain((string)patient["id"]!, text, StringComparison.Ordinal);
            Assert.DoesNotContain((string)patient["name"]![0]!["family"]!, text, StringComparison.Ordinal);
            Assert.DoesNotContain((string)patient["address"]![0]!["line"]![0]!, text, StringComparison.Ordinal);
            Assert.DoesNotContain((string)patient["identifier"]![0]!["value"]!, text, StringComparison.Ordinal);
            Assert.DoesNotContain((string)patient["birthDate"]!, text, StringComparison.Ordinal);
        }

        var documents = ReadNdjson(Out("docs.ndjson"));
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.Null(d["content"]![0]!["attachment"]!["data"]));
        Assert.All(ReadNdjson(Out("docs-text.ndjson")), d => Assert.NotNull(d["content"]![0]!["attachment"]!["data"]));
        Assert.All(documents, d => Assert.StartsWith("Patient/", (string)d["subject"]!["reference"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Patient_messages_lose_their_payload_unless_text_is_asked_for()
    {
        await ExportAsync(_lake, new ResearchExportOptions { ResourceType = "Communication", OutputPath = Out("messages.ndjson"), Format = ResearchExportFormat.Ndjson });
        await ExportAsync(_lake, new ResearchExportOptions { ResourceType = "Communication", OutputPath = Out("messages-text.ndjson"), Format = ResearchExportFormat.Ndjson, KeepText = true });

        var messages = ReadNdjson(Out("messages.ndjson"));
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.False(m.ContainsKey("payload")));
        Assert.All(ReadNdjson(Out("messages-text.ndjson")), m => Assert.NotNull(m["payload"]![0]!["contentString"]));
    }

    [Fact]
    public async Task A_table_export_leaves_out_name_address_and_text_columns_and_the_whole_resource()
    {
        var result = await ExportAsync(_lake, new ResearchExportOptions { Sql = "SELECT * FROM patient p JOIN fhir_resources b ON b.resource_type = 'Patient' AND b.id = p.id", OutputPath = Out("joined.parquet") });

        Assert.Contains("views.patient.family", result.Removed);
        Assert.Contains("views.patient.given", result.Removed);
        Assert.Contains("views.patient.postal_code", result.Removed);
        Assert.Contains("bronze.fhir_resources.resource", result.Removed);
        var bytes = await File.ReadAllBytesAsync(Out("joined.parquet"));
        var rows = ReadParquet(Out("joined.parquet"));
        var all = Encoding.Latin1.GetString(bytes) + string.Join('|', rows.SelectMany(r => r.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        foreach (var patient in _lake.Patients.Values)
        {
            Assert.DoesNotContain((string)patient["id"]!, all, StringComparison.Ordinal);
            Assert.DoesNotContain((string)patient["name"]![0]!["given"]![0]!, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_secret_and_the_keys_derived_from_it_never_appear_in_an_export()
    {
        await ExportAsync(_lake, new ResearchExportOptions { ResourceType = "Observation", OutputPath = Out("obs.ndjson"), Format = ResearchExportFormat.Ndjson, KeepText = true });
        await ExportAsync(_lake, new ResearchExportOptions { View = "observation", OutputPath = Out("obs.parquet") });

        var secrets = await LakeSecrets.OpenAsync(_lake.Store, _lake.Keys);
        var wrapped = JsonNode.Parse(await Storage.ObjectStoreExtensions.ReadAllBytesAsync(_lake.Store, LakeSecrets.ObjectKey))!;
        var forbidden = new[] { "research-pseudonym", "research-date-shift", "erasure-subject" }
            .Select(secrets.Derive).SelectMany(k => new[] { Convert.ToHexStringLower(k), Convert.ToHexString(k), Convert.ToBase64String(k) })
            .Append((string)wrapped["Ciphertext"]!).ToList();
        foreach (var file in new[] { "obs.ndjson", "obs.parquet" })
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Out(file)));
            Assert.All(forbidden, f => Assert.DoesNotContain(f, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Dates_are_shifted_at_the_source_so_a_result_without_its_patient_column_still_holds_shifted_dates()
    {
        var sql = "SELECT id, effective FROM observation WHERE effective IS NOT NULL ORDER BY id";
        await ExportAsync(_lake, new ResearchExportOptions { Sql = sql, OutputPath = Out("x.ndjson"), Format = ResearchExportFormat.Ndjson });

        using var engine = new QueryEngine(_lake.Store);
        var pseudonymizer = Pseudonymizer.For(await LakeSecrets.OpenAsync(_lake.Store, _lake.Keys));
        var raw = (await engine.ExecuteAsync(sql)).Rows.ToDictionary(r => pseudonymizer.Pseudonym((string)r[0]!), r => (string)r[1]!, StringComparer.Ordinal);
        var exported = ReadNdjson(Out("x.ndjson"));
        Assert.Equal(raw.Count, exported.Count);
        Assert.All(exported, r => Assert.NotEqual(
            DateTimeOffset.Parse(raw[(string)r["id"]!], CultureInfo.InvariantCulture),
            DateTimeOffset.Parse((string)r["effective"]!, CultureInfo.InvariantCulture)));
    }
}
