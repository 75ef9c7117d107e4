using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using Fhirhouse.Delta;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Tests;

/// <summary>
/// Reads a lake the way a thief with its keys would: every object decrypted (Parquet by its rows, footer statistics and
/// key-value metadata, as pages are compressed), and every Delta table at every version its log still serves.
/// </summary>
internal static class LakeScan
{
    /// <summary>"key: needle" for every object holding a needle.</summary>
    public static async Task<List<string>> ObjectsHoldingAsync(GovernanceLake lake, IReadOnlyCollection<string> needles)
    {
        var hits = new List<string>();
        var keys = new List<string>();
        await foreach (var info in lake.Plain.ListAsync(""))
        {
            keys.Add(info.Key);
        }

        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var bytes = key.StartsWith("_fhirhouse/", StringComparison.Ordinal)
                ? await lake.Plain.ReadAllBytesAsync(key)
                : await lake.Store.ReadAllBytesAsync(key);
            var text = key.EndsWith(".parquet", StringComparison.Ordinal) ? ParquetText(lake, bytes) : PlainText(bytes);
            hits.AddRange(needles.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"{key}: {n}"));
        }

        return hits;
    }

    /// <summary>"table@version: needle" for every row (and change feed row) of every readable version holding a needle.</summary>
    public static async Task<List<string>> VersionsHoldingAsync(GovernanceLake lake, IReadOnlyCollection<string> needles)
    {
        var hits = new List<string>();
        foreach (var path in await TablesAsync(lake.Store))
        {
            var table = await DeltaTable.OpenAsync(lake.Store, path);
            var history = await table.GetHistoryAsync();
            foreach (var version in history.Select(h => h.Version))
            {
                var snapshot = await table.GetSnapshotAsync(version);
                await foreach (var row in snapshot.ReadRowsAsync())
                {
                    var text = string.Join('|', row.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
                    hits.AddRange(needles.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"{path}@{version}: {n}"));
                }
            }

            await foreach (var change in table.ReadChangesAsync(history.Min(h => h.Version)))
            {
                var text = string.Join('|', change.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
                hits.AddRange(needles.Where(n => text.Contains(n, StringComparison.Ordinal)).Select(n => $"{path} change feed: {n}"));
            }
        }

        return hits;
    }

    public static async Task<List<string>> TablesAsync(IObjectStore store)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var info in store.ListAsync("tables/"))
        {
            var log = info.Key.IndexOf("/_delta_log/", StringComparison.Ordinal);
            if (log > 0)
            {
                paths.Add(info.Key[..log]);
            }
        }

        return [.. paths];
    }

    /// <summary>Every row of a table's latest version as text, the given columns left out.</summary>
    public static async Task<List<object?[]>> RowsAsync(IObjectStore store, string path)
    {
        var snapshot = await (await DeltaTable.OpenAsync(store, path)).GetSnapshotAsync();
        return await snapshot.ReadRowsAsync().ToListAsync();
    }

    private static string PlainText(byte[] bytes)
    {
        if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            bytes = plain.ToArray();
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static string ParquetText(GovernanceLake lake, byte[] bytes)
    {
        var file = Path.Combine(lake.Root, "scan.parquet");
        File.WriteAllBytes(file, bytes);
        var text = new StringBuilder(Encoding.Latin1.GetString(bytes));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var sql in new[]
        {
            $"SELECT to_json(t)::VARCHAR FROM read_parquet('{file}') t",
            $"SELECT to_json(m)::VARCHAR FROM parquet_metadata('{file}') m",
            $"SELECT to_json(k)::VARCHAR FROM parquet_kv_metadata('{file}') k",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                text.Append('\n').Append(reader.GetString(0));
            }
        }

        File.Delete(file);
        return text.ToString();
    }
}
