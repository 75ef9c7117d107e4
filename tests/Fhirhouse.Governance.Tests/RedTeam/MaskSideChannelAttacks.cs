using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Query;

namespace Fhirhouse.Governance.Tests.RedTeam;

/// <summary>
/// Attacks around masks and row filters through what a statement tells besides its rows: file pruning (a predicate on
/// a masked column written in another case, or any predicate on a filtered table, bisecting raw values through "N of M
/// files read"), and error messages quoting raw or hidden values, into the reader's terminal and into the audit log.
/// The table <c>visit</c> has one data file per patient, so pruning would tell patients apart.
/// </summary>
public sealed class MaskSideChannelAttacks : IAsyncLifetime
{
    private static readonly StructType s_visit = new(
    [
        new StructField("id", PrimitiveType.String, Nullable: false),
        new StructField("patient_id", PrimitiveType.String),
        new StructField("code", PrimitiveType.String),
        new StructField("birth_date", PrimitiveType.String),
        new StructField("family", PrimitiveType.String),
    ]);

    private static readonly string[][] s_rows =
    [
        ["v1", "p1", "code-one", "1961-04-12", "Martin"],
        ["v2", "p2", "code-two", "1975-09-30", "Bernard"],
        ["v3", "p3", "code-three", "1990-01-05", "Petit"],
        ["v4", "p4", "code-four", "1948-12-24", "Durand"],
    ];

    private GovernedLake _lake = null!;

    public async Task InitializeAsync()
    {
        _lake = await GovernedLake.CreateAsync();
        var visits = await DeltaTable.CreateAsync(_lake.Encrypted, "tables/views/visit", s_visit);
        foreach (var row in s_rows)
        {
            await visits.AppendAsync([row]);
        }
    }

    public Task DisposeAsync()
    {
        _lake.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("SELECT count(*) FROM visit WHERE birth_date > '1980'", 1L)]
    [InlineData("SELECT count(*) FROM visit WHERE BIRTH_DATE > '1980'", 1L)]
    [InlineData("SELECT count(*) FROM visit WHERE Birth_Date = '1990-01-05'", 0L)]
    [InlineData("SELECT count(*) FROM visit v WHERE v.BIRTH_DATE < '1950'", 1L)]
    [InlineData("SELECT count(*) FROM visit WHERE \"BIRTH_DATE\" IN ('1961-04-12', '1948-12-24')", 0L)]
    [InlineData("SELECT count(*) FROM visit WHERE FAMILY = 'Petit'", 0L)]
    [InlineData("SELECT count(*) FROM visit WHERE ID = 'v3'", 0L)]
    public async Task A_predicate_on_a_masked_column_in_any_case_never_prunes_and_compares_masked_values(string sql, long expected)
    {
        using var engine = await _lake.EngineAsync("analyst", "operations");

        var result = await engine.ExecuteAsync(sql);

        var scan = Assert.Single(result.Tables);
        Assert.True(scan.Restricted);
        Assert.Equal(4, scan.Files);
        Assert.Equal(4, scan.FilesRead);
        // Masked values: a year ('1961'), NULL names, hashed ids: no full date, name or raw id matches.
        Assert.Equal(expected, result.Rows[0][0]);
    }

    [Theory]
    [InlineData("SELECT count(*) FROM visit WHERE code = 'code-two'")]
    [InlineData("SELECT count(*) FROM visit WHERE code = 'code-one'")]
    [InlineData("SELECT count(*) FROM visit WHERE code IN ('code-two', 'code-four')")]
    [InlineData("SELECT count(*) FROM visit WHERE CODE > 'code-s'")]
    public async Task A_predicate_on_a_filtered_table_never_prunes_so_files_read_tell_nothing_of_hidden_rows(string sql)
    {
        using var engine = await _lake.EngineAsync("data-scientist", "research");

        var result = await engine.ExecuteAsync(sql);

        var scan = Assert.Single(result.Tables);
        Assert.True(scan.Restricted);
        Assert.Equal(scan.Files, scan.FilesRead);
        // Only p1 and p3 consent to research: code-two and code-four are rows the filter hides.
        var expected = sql switch
        {
            _ when sql.Contains("'code-one'", StringComparison.Ordinal) => 1L,
            _ when sql.Contains("> 'code-s'", StringComparison.Ordinal) => 1L,
            _ => 0L,
        };
        Assert.Equal(expected, result.Rows[0][0]);
    }

    [Fact]
    public async Task Unrestricted_roles_still_prune()
    {
        using var engine = await _lake.EngineAsync("admin", "operations");

        var result = await engine.ExecuteAsync("SELECT count(*) FROM visit WHERE BIRTH_DATE > '1980'");

        var scan = Assert.Single(result.Tables);
        Assert.False(scan.Restricted);
        Assert.Equal(1, scan.FilesRead);
        Assert.Equal(1L, result.Rows[0][0]);
    }

    [Theory]
    [InlineData("data-scientist", "research", "SELECT CAST(code AS INTEGER) FROM visit")]
    [InlineData("data-scientist", "research", "SELECT CAST(code || birth_date AS DATE) FROM visit")]
    [InlineData("data-scientist", "research", "SELECT * FROM visit WHERE CAST(code AS INTEGER) > 0")]
    [InlineData("data-scientist", "research", "SELECT json_extract(code, '$.x') FROM visit")]
    [InlineData("data-scientist", "research", "SELECT CAST(id AS INTEGER) FROM visit")]
    [InlineData("analyst", "operations", "SELECT CAST(id AS INTEGER) FROM visit")]
    [InlineData("analyst", "operations", "SELECT CAST(birth_date AS INTEGER) * 1000000000000000000 FROM visit")]
    [InlineData("analyst", "operations", "SELECT CAST(code || id AS BIGINT) FROM visit")]
    public async Task Errors_never_echo_raw_or_hidden_values_to_the_reader_or_the_audit_log(string role, string purpose, string sql)
    {
        using var engine = await _lake.EngineAsync(role, purpose);

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync(sql));

        var governance = await _lake.GovernanceAsync();
        var audit = JsonSerializer.Serialize(await governance.Audit.ListAsync());
        foreach (var text in new[] { error.Message, audit, error.InnerException?.Message ?? "" })
        {
            foreach (var value in s_rows.SelectMany(r => r))
            {
                Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            }
        }

        // Nor a hashed id (a pseudonym of a hidden row would still link it).
        Assert.DoesNotMatch("[0-9a-f]{16}", error.Message);

        Assert.Contains("Error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unrestricted_reader_sees_the_value_in_the_error_but_the_audit_log_never_does()
    {
        using var engine = await _lake.EngineAsync("admin", "operations");

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT CAST(family AS INTEGER) FROM visit WHERE id = 'v3'"));

        Assert.Contains("Petit", error.Message, StringComparison.Ordinal);
        var governance = await _lake.GovernanceAsync();
        var record = Assert.Single(await governance.Audit.ListAsync(), r => r.Entry.Outcome == "error");
        Assert.Contains("Conversion Error", record.Entry.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Petit", record.Entry.Reason, StringComparison.Ordinal);
    }
}
