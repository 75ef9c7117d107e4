using System.Globalization;
using DuckDB.NET.Data;
using Fhirhouse.Delta.Log;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Transactions;

/// <summary>Our log, replayed a second time by DuckDB SQL (read_json over commits, read_parquet over the checkpoint).</summary>
public sealed class DuckDbReplayTests
{
    [Fact]
    public async Task DuckDB_replay_of_our_log_finds_the_same_files_and_rows_as_our_reader()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        for (var batch = 0; batch < 11; batch++)
        {
            await table.AppendAsync(Enumerable.Range(batch * 10, 10).Select(i => TestTables.Person(i)));
        }

        await table.DeleteAsync(r => (long)r[0]! % 7 == 0);
        await table.UpdateAsync(r => (long)r[0]! == 8, r => [r[0], "eight", r[2], r[3], r[4]]);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(13, snapshot.Version);
        Assert.Equal(10, snapshot.CheckpointVersion);

        var log = Path.Combine(temp.Path, "t", "_delta_log");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var replay = $$"""
            WITH commits AS (
                SELECT CAST(regexp_extract(filename, '(\d{20})\.json$', 1) AS BIGINT) AS version, "add", "remove"
                FROM read_json('{{log}}/*.json', format = 'newline_delimited', filename = true,
                    columns = {'add': 'STRUCT(path VARCHAR)', 'remove': 'STRUCT(path VARCHAR)', 'commitInfo': 'JSON', 'metaData': 'JSON', 'protocol': 'JSON', 'txn': 'JSON'})
            ),
            checkpoint AS (
                SELECT "add".path AS path FROM read_parquet('{{log}}/00000000000000000010.checkpoint.parquet') WHERE "add" IS NOT NULL
            ),
            events AS (
                SELECT 10 AS version, path, 1 AS is_add FROM checkpoint
                UNION ALL SELECT version, "add".path, 1 FROM commits WHERE "add" IS NOT NULL AND version > 10
                UNION ALL SELECT version, "remove".path, 0 FROM commits WHERE "remove" IS NOT NULL AND version > 10
            )
            SELECT path FROM (SELECT path, arg_max(is_add, version) AS live FROM events GROUP BY path) WHERE live = 1 ORDER BY path
            """;
        var duckFiles = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = replay;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                duckFiles.Add(reader.GetString(0));
            }
        }

        Assert.Equal(snapshot.Files.Select(f => f.Path).Order(StringComparer.Ordinal), duckFiles);

        var fileList = string.Join(", ", duckFiles.Select(f => $"'{Path.Combine(temp.Path, "t", DeltaPath.Decode(f))}'"));
        var duckRows = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT id, coalesce(name, '<null>'), CAST(born AS VARCHAR), epoch_us(seen) FROM read_parquet([{fileList}]) ORDER BY id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                duckRows.Add($"{reader.GetInt64(0)}|{reader.GetString(1)}|{reader.GetString(2)}|{reader.GetInt64(3)}");
            }
        }

        var ourRows = (await TestTables.ReadAllAsync(table))
            .OrderBy(r => (long)r[0]!)
            .Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r[0]}|{r[1] ?? "<null>"}|{(DateOnly)r[2]!:yyyy-MM-dd}|{(((DateTimeOffset)r[3]!).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}"))
            .ToList();
        Assert.Equal(110 - 16, ourRows.Count);
        Assert.Equal(ourRows, duckRows);
        Assert.Contains("8|eight|", string.Join("\n", duckRows), StringComparison.Ordinal);
    }
}
