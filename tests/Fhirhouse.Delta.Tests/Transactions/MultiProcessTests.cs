using System.Diagnostics;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Transactions;

/// <summary>Real writer processes (the bench project's "append" verbs) against one table on local disk.</summary>
public sealed class MultiProcessTests
{
    private static readonly StructType s_schema = new(
        new StructField("worker", PrimitiveType.Integer, Nullable: false),
        new StructField("seq", PrimitiveType.Long, Nullable: false),
        new StructField("payload", PrimitiveType.String));

    private static string WriterDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepoPaths.Root, "bench", "Fhirhouse.Delta.Bench", "bin", configuration, "net10.0", "Fhirhouse.Delta.Bench.dll");
        Assert.True(File.Exists(path), $"writer process not built at {path}");
        return path;
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(WriterDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    [Fact]
    public async Task Four_processes_appending_at_once_leave_a_contiguous_log_with_every_row_once()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        await DeltaTable.CreateAsync(store, "t", s_schema);
        const int PerWorker = 15;
        var workers = Enumerable.Range(0, 4).Select(w => Start("append", temp.Path, "t", w.ToString(), PerWorker.ToString())).ToList();
        foreach (var worker in workers)
        {
            var stderr = worker.StandardError.ReadToEndAsync();
            await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(worker.ExitCode == 0, await stderr);
        }

        var table = await DeltaTable.OpenAsync(store, "t");
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(4 * PerWorker, snapshot.Version);
        var logVersions = Directory.GetFiles(Path.Combine(temp.Path, "t", "_delta_log"), "*.json").Select(f => long.Parse(Path.GetFileNameWithoutExtension(f))).Order();
        Assert.Equal(Enumerable.Range(0, (4 * PerWorker) + 1).Select(v => (long)v), logVersions);
        var rows = (await TestTables.ReadAllAsync(table)).Select(r => $"{r[0]}:{r[1]}").Order(StringComparer.Ordinal).ToList();
        var expected = Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(0, PerWorker).Select(i => $"{w}:{i}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task Four_processes_committing_to_a_lake_table_lose_no_commit_from_its_chain_or_its_head_record()
    {
        using var temp = new TempFolder();
        var lakeUri = "file://" + Path.Combine(temp.Path, "lake");
        var keyring = Path.Combine(temp.Path, "keys", "keyring.json");
        var keys = Storage.Keys.Keyring.LocalKeyring.OpenOrCreate(keyring, Path.ChangeExtension(keyring, ".key")).Keyring;
        using (var lake = await Storage.Lake.LakeStore.OpenAsync(new Storage.Lake.LakeOptions { Uri = lakeUri, KeyProvider = keys }))
        {
            await DeltaTable.CreateAsync(lake.Objects, "tables/audit", s_schema);
        }

        const int PerWorker = 12;
        var workers = Enumerable.Range(0, 4).Select(w => Start("append-lake", lakeUri, keyring, "tables/audit", w.ToString(), PerWorker.ToString())).ToList();
        var errors = workers.Select(w => w.StandardError.ReadToEndAsync()).ToList();
        await Task.WhenAll(workers.Select(w => w.WaitForExitAsync())).WaitAsync(TimeSpan.FromMinutes(3));
        for (var w = 0; w < workers.Count; w++)
        {
            Assert.True(workers[w].ExitCode == 0, await errors[w]);
        }

        using var reader = await Storage.Lake.LakeStore.OpenAsync(new Storage.Lake.LakeOptions { Uri = lakeUri, KeyProvider = keys });
        var table = await DeltaTable.OpenAsync(reader.Objects, "tables/audit");
        Assert.Equal(4 * PerWorker, (await table.GetSnapshotAsync()).Version);
        var head = await ((Storage.Heads.ITableHeadStore)reader.Objects).ReadHeadAsync("tables/audit");
        Assert.Equal(4 * PerWorker, head!.Version);
        Assert.Empty(await DeltaTable.VerifyLogAsync(reader.Objects, "tables/audit"));
        Assert.Equal(4 * PerWorker, (await TestTables.ReadAllAsync(table)).Select(r => $"{r[0]}:{r[1]}").Distinct().Count());
    }

    [Fact]
    public async Task A_writer_killed_mid_commit_leaves_a_table_that_opens_at_its_last_committed_version()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        await DeltaTable.CreateAsync(store, "t", s_schema);
        var writer = Start("append-forever", temp.Path, "t");
        var committed = 0L;
        while (committed < 12)
        {
            var line = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.NotNull(line);
            committed = long.Parse(line);
        }

        writer.Kill(entireProcessTree: true);
        await writer.WaitForExitAsync();
        while (await writer.StandardOutput.ReadLineAsync() is { } rest)
        {
            if (long.TryParse(rest, out var printed))
            {
                committed = printed;
            }
        }

        var table = await DeltaTable.OpenAsync(store, "t");
        var snapshot = await table.GetSnapshotAsync();
        // The last version the writer printed is durable; the kill may have landed after one more commit file.
        Assert.InRange(snapshot.Version, committed, committed + 1);
        var rows = await TestTables.ReadAllAsync(table);
        Assert.Equal(snapshot.Version * 100, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => (long)r[1]!).Distinct().Count());
        Assert.Equal(rows.Count, snapshot.CountFromStatistics());

        var resumed = await table.AppendAsync([[1, -1L, "after the kill"]]);
        Assert.Equal(snapshot.Version + 1, resumed.Version);
    }
}
