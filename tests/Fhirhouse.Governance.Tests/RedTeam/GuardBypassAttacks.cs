using System.Globalization;
using Fhirhouse.Query;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Tests.RedTeam;

/// <summary>
/// Attacks on the guard itself, as every shipped role: reading files (the lake's master key and keyring, /etc/passwd,
/// /proc/self/environ, a source NDJSON, the decrypted Parquet of a view in memory) through file paths, globs, quoted
/// identifiers, CTE names used outside their scope (in subqueries, EXISTS, LATERAL, scalar subqueries, set operations,
/// sibling CTEs), table functions of every reader, and the engine's catalogs and settings. Every statement must be
/// refused before it runs, naming what it reached for.
/// </summary>
public sealed class GuardBypassAttacks : IAsyncLifetime
{
    public static readonly TheoryData<string, string> Roles = new()
    {
        { "clinician", "treatment" },
        { "data-scientist", "research" },
        { "analyst", "operations" },
        { "admin", "operations" },
    };

    /// <summary>Statements reaching for a file at {path} (written as SQL text: a string or a quoted identifier).</summary>
    private static readonly string[] s_fileAttacks =
    [
        "SELECT * FROM '{path}'",
        "SELECT * FROM \"{path}\"",
        "SELECT * FROM (WITH \"{path}\" AS (SELECT 1 AS x) SELECT * FROM \"{path}\") a, \"{path}\" b",
        "SELECT * FROM (WITH \"{path}\" AS (SELECT 1 AS x) SELECT * FROM \"{path}\") a UNION ALL SELECT * FROM \"{path}\"",
        "WITH a AS (SELECT 1 AS x) SELECT * FROM a UNION ALL SELECT * FROM \"{path}\"",
        "SELECT * FROM \"{path}\" WHERE EXISTS (WITH \"{path}\" AS (SELECT 1) SELECT 1 FROM \"{path}\")",
        "SELECT * FROM patient, LATERAL (WITH \"{path}\" AS (SELECT 1 AS x) SELECT x FROM \"{path}\") l, \"{path}\" f",
        "SELECT (WITH \"{path}\" AS (SELECT 1) SELECT 1 FROM \"{path}\"), * FROM \"{path}\"",
        "SELECT * FROM patient WHERE id IN (SELECT * FROM \"{path}\")",
        "SELECT * FROM patient WHERE id = (SELECT max(column0) FROM '{path}')",
        "WITH \"{path}\" AS (SELECT * FROM \"{path}\") SELECT * FROM \"{path}\"",
        "WITH a AS (SELECT * FROM \"{path}\"), \"{path}\" AS (SELECT 1) SELECT * FROM a",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r, \"{path}\" WHERE n < 2) SELECT * FROM r",
        "SELECT * FROM patient p JOIN \"{path}\" f ON true",
        "SELECT * FROM patient p WHERE EXISTS (SELECT 1 FROM '{path}')",
        "DESCRIBE SELECT * FROM '{path}'",
        "SUMMARIZE SELECT * FROM '{path}'",
        "SELECT * FROM read_csv('{path}')",
        "SELECT * FROM read_csv_auto('{path}', header = false)",
        "SELECT * FROM read_json('{path}')",
        "SELECT * FROM read_ndjson_objects('{path}')",
        "SELECT * FROM read_text('{path}')",
        "SELECT * FROM read_blob('{path}')",
        "SELECT * FROM read_parquet('{path}')",
        "SELECT * FROM parquet_scan('{path}')",
        "SELECT * FROM parquet_metadata('{path}')",
        "SELECT * FROM sniff_csv('{path}')",
        "SELECT * FROM glob('{path}')",
        "SELECT * FROM query_table('\"{path}\"')",
        "SELECT * FROM query('SELECT * FROM ''{path}''')",
        "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM ''{path}'''))",
        "SELECT (SELECT content FROM read_text('{path}')) AS leak FROM patient",
        "SELECT * FROM range(1) r, read_text('{path}') t",
        "SELECT * FROM unnest([1]) u, '{path}' f",
        "SELECT * FROM main.\"{path}\"",
    ];

    private static readonly string[] s_catalogAttacks =
    [
        "SELECT * FROM duckdb_settings()",
        "SELECT * FROM duckdb_views()",
        "SELECT sql FROM duckdb_views",
        "SELECT * FROM duckdb_tables()",
        "SELECT current_setting('allowed_paths')",
        "SELECT current_query()",
        "SELECT pg_get_viewdef('patient')",
        "SELECT pg_catalog.pg_get_viewdef('patient')",
        "SELECT * FROM pg_views",
        "SELECT * FROM pg_catalog.pg_views",
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM information_schema.columns",
        "SELECT * FROM sqlite_master",
        "SHOW TABLES",
        "SHOW ALL TABLES",
        "SELECT * FROM temp.main.patient",
        "SELECT * FROM memory.main.patient",
        "SELECT fhirhouse_mask_hash('p1')",
        "SELECT * FROM which_secret('s3://x', 's3')",
        "SELECT * FROM duckdb_functions()",
        "SELECT version()",
        "SELECT * FROM pragma_table_info('patient')",
        "SELECT * FROM sql_auto_complete('SEL')",
    ];

    private GovernedLake _lake = null!;
    private readonly List<string> _targets = [];

    public async Task InitializeAsync()
    {
        _lake = await GovernedLake.CreateAsync();
        var source = Path.Combine(_lake.Root, "source.ndjson");
        await File.WriteAllTextAsync(source, """{"resourceType":"Patient","id":"p1","name":[{"family":"Martin"}]}""" + "\n");
        _targets.AddRange(
        [
            Path.Combine(_lake.Root, "keys", "master.key"),
            Path.Combine(_lake.Root, "keys", "keyring.json"),
            "/etc/passwd",
            "/proc/self/environ",
            source,
            "/proc/self/fd/[0-9]*",
            "/proc/self/fd/[1.parquet?]07",
            "/proc/self/fd/*.parquet",
        ]);

        // A decrypted data file of the patient view, alive in memory while the engine that read it is.
        using var reader = await _lake.EngineAsync("admin", "operations");
        await reader.ExecuteAsync("SELECT * FROM patient");
        _targets.AddRange(MemoryFiles());
        Assert.True(_targets.Count > 8, "the patient view's plaintext should be in a memory file");
    }

    public Task DisposeAsync()
    {
        _lake.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task No_role_reads_a_file_through_paths_globs_out_of_scope_ctes_or_table_functions(string role, string purpose)
    {
        using var engine = await _lake.EngineAsync(role, purpose);
        await engine.ExecuteAsync("SELECT count(*) FROM observation");
        var targets = _targets.Concat(MemoryFiles()).Distinct(StringComparer.Ordinal).ToList();

        var accepted = new List<string>();
        foreach (var target in targets)
        {
            foreach (var attack in s_fileAttacks)
            {
                var sql = attack.Replace("{path}", target, StringComparison.Ordinal);
                if (await RefusedAsync(engine, sql) is { } reason)
                {
                    accepted.Add($"{sql} => {reason}");
                }
            }
        }

        Assert.True(accepted.Count == 0, $"{accepted.Count} attacks were not refused by the guard:\n{string.Join('\n', accepted.Take(20))}");
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task No_role_reads_the_engines_catalog_settings_or_own_functions(string role, string purpose)
    {
        using var engine = await _lake.EngineAsync(role, purpose);
        await engine.ExecuteAsync("SELECT count(*) FROM observation");

        var accepted = new List<string>();
        foreach (var sql in s_catalogAttacks)
        {
            if (await RefusedAsync(engine, sql) is { } reason)
            {
                accepted.Add($"{sql} => {reason}");
            }
        }

        Assert.True(accepted.Count == 0, $"{accepted.Count} attacks were not refused by the guard:\n{string.Join('\n', accepted)}");
    }

    [Fact]
    public async Task A_cte_in_scope_still_works_and_a_cte_named_like_a_path_is_only_the_cte()
    {
        using var engine = await _lake.EngineAsync("admin", "operations");

        var inScope = await engine.ExecuteAsync("WITH \"/etc/passwd\" AS (SELECT 7 AS x) SELECT x FROM \"/etc/passwd\"");
        var nested = await engine.ExecuteAsync("WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS x FROM a) SELECT (SELECT max(x) FROM b) + (SELECT count(*) FROM patient) AS n");
        var recursive = await engine.ExecuteAsync("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT sum(n) FROM r");
        var folded = await engine.ExecuteAsync("WITH Numbers AS (SELECT 2 AS x) SELECT x FROM NUMBERS");
        var described = await engine.ExecuteAsync("DESCRIBE patient");
        var summarized = await engine.ExecuteAsync("SUMMARIZE SELECT gender FROM patient");
        var lists = await engine.ExecuteAsync("SELECT [1, 2] AS l, {'a': 1} AS s, list_value(3) AS v FROM range(1)");

        Assert.Equal("7", Convert.ToString(inScope.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal("6", Convert.ToString(nested.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal("6", Convert.ToString(recursive.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal("2", Convert.ToString(folded.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Contains(described.Rows, r => (string?)r[0] == "birth_date");
        Assert.Single(summarized.Rows);
        Assert.Single(lists.Rows);
    }

    [Fact]
    public async Task A_cte_name_that_only_unicode_case_folding_would_match_is_not_taken_for_the_cte()
    {
        using var engine = await _lake.EngineAsync("admin", "operations");

        // 'ı' (dotless i) folds to 'I' under .NET's ignore-case comparison; DuckDB folds ASCII letters only.
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync("WITH \"/etc/passwd-i\" AS (SELECT 1) SELECT * FROM \"/etc/passwd-ı\""));

        Assert.Contains("/etc/passwd-ı", denied.Message, StringComparison.Ordinal);
    }

    /// <summary>Null when the statement was refused by the guard; otherwise what happened instead.</summary>
    private static async Task<string?> RefusedAsync(QueryEngine engine, string sql)
    {
        try
        {
            var result = await engine.ExecuteAsync(sql);
            return $"ran, {result.Rows.Count} rows";
        }
        catch (AccessDeniedException)
        {
            return null;
        }
        catch (QueryException e)
        {
            return "not refused by the guard, failed in DuckDB: " + e.Message.Split('\n')[0];
        }
    }

    /// <summary>The paths of this process's memory files (decrypted data files), as DuckDB would open them.</summary>
    private static List<string> MemoryFiles() =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Where(fd => new FileInfo(fd).LinkTarget is { } target && target.StartsWith("/memfd:", StringComparison.Ordinal))
            .ToList();
}
