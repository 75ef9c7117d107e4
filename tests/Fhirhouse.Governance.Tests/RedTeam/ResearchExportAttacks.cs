using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Research;
using Fhirhouse.Governance.Secrets;
using Fhirhouse.Query;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Governance.Tests.RedTeam;

/// <summary>
/// Attacks on research exports: SQL that carries identifiers, names and dates out under other names or through
/// expressions (<c>id AS pid</c>, <c>family || ''</c>, <c>replace(birth_date, '-', '/')</c>, <c>struct_pack</c>,
/// <c>list</c>, CTEs, casts, whole-row JSON), as an administrator (no masks of its own: the export's treatment is all
/// there is) and as a data scientist for research. No raw id, identifier value, name or unshifted date may leave, in
/// the file's bytes or its values.
/// </summary>
public sealed class ResearchExportAttacks : IAsyncLifetime
{
    public static readonly TheoryData<string, string, string, string> Attacks = Build();

    private GovernanceLake _lake = null!;

    public async Task InitializeAsync() => _lake = await GovernanceLake.BuildAsync(patients: 5, seed: 33);

    public Task DisposeAsync()
    {
        _lake.Dispose();
        return Task.CompletedTask;
    }

    private static TheoryData<string, string, string, string> Build()
    {
        string[] statements =
        [
            "SELECT id AS pid FROM patient",
            "SELECT id || '' AS x, upper(id) AS y, 'Patient/' || id AS r FROM patient",
            "SELECT family || '' AS f, lower(given) AS g, coalesce(family, 'none') AS h FROM patient",
            "SELECT replace(birth_date, '-', '/') AS b, strftime(CAST(birth_date AS DATE), '%Y%m%d') AS c FROM patient",
            "SELECT year(CAST(birth_date AS DATE)) * 10000 + month(CAST(birth_date AS DATE)) * 100 + day(CAST(birth_date AS DATE)) AS n FROM patient",
            "SELECT struct_pack(i := id, b := birth_date, f := family) AS s FROM patient",
            "SELECT list(id) AS ids, list(birth_date) AS dates, string_agg(family, ',') AS names FROM patient",
            "WITH x AS (SELECT id AS a, birth_date AS b, given AS c FROM patient) SELECT a, b, c FROM x",
            "SELECT * FROM (SELECT id AS k, family AS label FROM patient) t",
            "SELECT to_json(p) AS j FROM patient p",
            "SELECT p.id AS note_free, o.patient_id AS who, o.effective AS w FROM observation o JOIN patient p ON o.patient_id = p.id",
            "SELECT patient_id AS who, replace(CAST(effective AS VARCHAR), '-', '') AS w FROM observation",
            "SELECT [id, birth_date] AS l, map([id], [family]) AS m FROM patient",
            "SELECT patient_id, resources FROM patient_activity",
        ];
        var data = new TheoryData<string, string, string, string>();
        for (var i = 0; i < statements.Length; i++)
        {
            data.Add("admin", "operations", statements[i], "a" + i.ToString(CultureInfo.InvariantCulture));
            data.Add("data-scientist", "research", statements[i], "d" + i.ToString(CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task No_raw_identifier_name_or_unshifted_date_leaves_whatever_the_sql_does(string role, string purpose, string sql, string name)
    {
        foreach (var format in new[] { ResearchExportFormat.Parquet, ResearchExportFormat.Ndjson })
        {
            var path = Path.Combine(_lake.Root, name + (format == ResearchExportFormat.Parquet ? ".parquet" : ".ndjson"));
            try
            {
                await ExportAsync(role, purpose, new ResearchExportOptions { Sql = sql, OutputPath = path, Format = format });
            }
            catch (QueryException e) when (role == "data-scientist")
            {
                // The role's own masks can make the SQL fail (a birth year does not cast to a date): nothing is written,
                // and the message tells no value.
                Assert.False(File.Exists(path));
                Assert.All(Forbidden(), f => Assert.DoesNotContain(f, e.Message, StringComparison.Ordinal));
                continue;
            }

            var text = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path)) + "\n" + (format == ResearchExportFormat.Parquet ? ValuesOf(path) : "");
            foreach (var forbidden in Forbidden())
            {
                Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"'{forbidden}' left in the export of {sql}");
            }
        }
    }

    [Fact]
    public async Task A_date_column_of_a_table_that_ties_no_row_to_a_patient_fails_the_export_with_the_reason()
    {
        var calendar = await DeltaTable.CreateAsync(_lake.Store, "tables/gold/clinic_day", new StructType(
        [
            new StructField("day", PrimitiveType.Date),
            new StructField("label", PrimitiveType.String),
        ]));
        await calendar.AppendAsync([[new DateOnly(2026, 3, 1), "open"]]);
        var path = Path.Combine(_lake.Root, "calendar.parquet");

        var error = await Assert.ThrowsAsync<QueryException>(() => ExportAsync("admin", "operations", new ResearchExportOptions { Sql = "SELECT day + 1 AS d, label FROM clinic_day", OutputPath = path }));
        var labels = await ExportAsync("admin", "operations", new ResearchExportOptions { Sql = "SELECT label FROM clinic_day", OutputPath = path });

        Assert.Contains("Column day of table gold.clinic_day holds dates", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be shifted", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, labels.Rows);
    }

    private async Task<ResearchExportResult> ExportAsync(string role, string purpose, ResearchExportOptions options)
    {
        var governance = await LakeGovernance.OpenAsync(_lake.Store, _lake.Keys, GovernedLake.ShippedPolicies, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        var secrets = await LakeSecrets.OpenAsync(_lake.Store, _lake.Keys);
        var queryOptions = governance.QueryOptions(new AccessIdentity("red-team", role, purpose), "research-export");
        return await new ResearchExporter(_lake.Store, queryOptions, Pseudonymizer.For(secrets, options.MaxShiftDays)).ExportAsync(options);
    }

    /// <summary>Every raw patient id, identifier value, name and full birth date, in the spellings an expression could give them.</summary>
    private IEnumerable<string> Forbidden()
    {
        foreach (var patient in _lake.Patients.Values)
        {
            yield return (string)patient["id"]!;
            foreach (var identifier in patient["identifier"]?.AsArray() ?? [])
            {
                if ((string?)identifier?["value"] is { Length: > 3 } value)
                {
                    yield return value;
                }
            }

            // Names of four letters or more (shorter ones are substrings of too much else to search for).
            foreach (var name in patient["name"]?.AsArray() ?? [])
            {
                foreach (var part in (name!["given"]?.AsArray() ?? []).Select(g => (string)g!).Append((string)name["family"]!).Where(n => n.Length >= 4))
                {
                    yield return part;
                }
            }

            var birth = (string)patient["birthDate"]!;
            yield return birth;
            yield return birth.Replace('-', '/');
            yield return birth.Replace("-", "", StringComparison.Ordinal);
        }
    }

    /// <summary>The values of a Parquet file, as text (compressed pages would hide them from a byte search).</summary>
    private static string ValuesOf(string path)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        var text = new StringBuilder();
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
            }
        }

        return text.ToString();
    }
}
