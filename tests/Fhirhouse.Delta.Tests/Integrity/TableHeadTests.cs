using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Heads;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Lake;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Integrity;

/// <summary>
/// A lake's tables as a whole: each commit links to the one before it (hash chain) and each table has a head record,
/// so that readers and <see cref="DeltaTable.VerifyLogAsync"/> detect deleted newest commits, a deleted checkpoint with
/// its commits, a commit rolled back to an older ciphertext, and a table folder replaced by an older copy or by another lake's.
/// </summary>
public sealed class TableHeadTests : IDisposable
{
    private const string Table = "tables/audit";
    private readonly TempFolder _folder = new();
    private readonly LocalKeyring _keyring;

    public TableHeadTests() =>
        _keyring = LocalKeyring.OpenOrCreate(Path.Combine(_folder.Path, "keys", "keyring.json"), Path.Combine(_folder.Path, "keys", "keyring.key")).Keyring;

    public void Dispose() => _folder.Dispose();

    private string LakePath(string lake = "lake") => Path.Combine(_folder.Path, lake);

    private string LogFile(long version, string lake = "lake") =>
        Path.Combine(LakePath(lake), Table, "_delta_log", $"{version:D20}.json");

    private Task<LakeStore> OpenLakeAsync(string lake = "lake") =>
        LakeStore.OpenAsync(new LakeOptions { Uri = "file://" + LakePath(lake), KeyProvider = _keyring, DataKeyCache = null });

    private static async Task<DeltaTable> WriteAsync(IObjectStore store, int commits, long firstId = 0)
    {
        var table = await DeltaTable.ExistsAsync(store, Table)
            ? await DeltaTable.OpenAsync(store, Table)
            : await DeltaTable.CreateAsync(store, Table, TestTables.People);
        for (var i = 0; i < commits; i++)
        {
            await table.AppendAsync([TestTables.Person(firstId + i)]);
        }

        return table;
    }

    /// <summary>A fresh lake store and table over the same folder: what a new reader process sees.</summary>
    private async Task<Exception?> OpenFreshAsync(string lake = "lake")
    {
        using var store = await OpenLakeAsync(lake);
        return await Record.ExceptionAsync(() => DeltaTable.OpenAsync(store.Objects, Table));
    }

    private async Task<IReadOnlyList<string>> VerifyAsync(string lake = "lake")
    {
        using var store = await OpenLakeAsync(lake);
        return await DeltaTable.VerifyLogAsync(store.Objects, Table);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    [Fact]
    public async Task Every_commit_links_to_the_one_before_it_and_the_head_record_names_the_latest()
    {
        using var lake = await OpenLakeAsync();
        await WriteAsync(lake.Objects, 12);

        for (var v = 1; v <= 12; v++)
        {
            var previous = await lake.Objects.ReadAllBytesAsync($"{Table}/_delta_log/{v - 1:D20}.json");
            var commit = await lake.Objects.ReadAllBytesAsync($"{Table}/_delta_log/{v:D20}.json");
            using var info = JsonDocument.Parse(commit.AsMemory(0, Array.IndexOf(commit, (byte)'\n')));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(previous)), info.RootElement.GetProperty("commitInfo").GetProperty("previousCommitSha256").GetString());
        }

        var head = await ((ITableHeadStore)lake.Objects).ReadHeadAsync(Table);
        Assert.NotNull(head);
        Assert.Equal(12, head.Version);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await lake.Objects.ReadAllBytesAsync($"{Table}/_delta_log/{12:D20}.json"))), head.CommitSha256);
        Assert.Single(Directory.GetFiles(Path.Combine(LakePath(), "_heads", Table)));
        Assert.Null(await OpenFreshAsync());
        Assert.Empty(await VerifyAsync());
    }

    [Fact]
    public async Task Deleting_the_newest_commits_is_detected_by_a_reader_and_by_verify_naming_the_versions()
    {
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 12);
        }

        File.Delete(LogFile(12));
        File.Delete(LogFile(11));

        var error = Assert.IsType<TableTamperedException>(await OpenFreshAsync());
        Assert.Equal(Table, error.Table);
        Assert.Contains("head record is at version 12 but its log ends at version 10: versions 11 to 12 were deleted", error.Message, StringComparison.Ordinal);
        Assert.Contains(await VerifyAsync(), p => p.Contains("versions 11 to 12 were deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_the_newest_checkpoint_with_its_commits_is_detected()
    {
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 12);
        }

        var log = Path.GetDirectoryName(LogFile(0))!;
        File.Delete(Path.Combine(log, $"{10:D20}.checkpoint.parquet"));
        File.Delete(Path.Combine(log, "_last_checkpoint"));
        foreach (var v in new[] { 10, 11, 12 })
        {
            File.Delete(LogFile(v));
        }

        Assert.Contains("versions 10 to 12 were deleted", Assert.IsType<TableTamperedException>(await OpenFreshAsync()).Message, StringComparison.Ordinal);
        Assert.Contains(await VerifyAsync(), p => p.Contains("versions 10 to 12 were deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_commit_rolled_back_to_an_older_ciphertext_of_the_same_key_breaks_the_chain()
    {
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 3);
        }

        // The table is dropped and created again at the same path; an old copy of its commit 2 is put back.
        var older = await File.ReadAllBytesAsync(LogFile(2));
        Directory.Delete(Path.Combine(LakePath(), Table), recursive: true);
        Directory.Delete(Path.Combine(LakePath(), "_heads", Table), recursive: true);
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 5, firstId: 100);
        }

        await File.WriteAllBytesAsync(LogFile(2), older);

        Assert.Contains("commits 1 and 2 do not chain: one of them was replaced", Assert.IsType<TableTamperedException>(await OpenFreshAsync()).Message, StringComparison.Ordinal);
        var problems = await VerifyAsync();
        Assert.Contains(problems, p => p.StartsWith("commits 1 and 2 do not chain", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("commits 2 and 3 do not chain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_table_folder_rolled_back_to_an_older_copy_of_itself_is_detected()
    {
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 3);
        }

        var copy = Path.Combine(_folder.Path, "backup");
        CopyFolder(Path.Combine(LakePath(), Table), copy);
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 3, firstId: 10);
        }

        Directory.Delete(Path.Combine(LakePath(), Table), recursive: true);
        CopyFolder(copy, Path.Combine(LakePath(), Table));

        Assert.Contains("versions 4 to 6 were deleted", Assert.IsType<TableTamperedException>(await OpenFreshAsync()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_folder_copied_from_another_lake_under_the_same_keyring_fails_naming_the_object()
    {
        using (var mine = await OpenLakeAsync())
        {
            await WriteAsync(mine.Objects, 2);
        }

        using (var other = await OpenLakeAsync("other"))
        {
            await WriteAsync(other.Objects, 4, firstId: 50);
        }

        Directory.Delete(Path.Combine(LakePath(), Table), recursive: true);
        CopyFolder(Path.Combine(LakePath("other"), Table), Path.Combine(LakePath(), Table));

        var error = Assert.IsType<TamperedObjectException>(await OpenFreshAsync());
        Assert.StartsWith(Table + "/", error.Key, StringComparison.Ordinal);
        Assert.Contains("belongs to another lake", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_head_record_moved_to_another_table_fails_authentication()
    {
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 2);
            await DeltaTable.CreateAsync(lake.Objects, "tables/other", TestTables.People);
        }

        var heads = Path.Combine(LakePath(), "_heads");
        File.Delete(Directory.GetFiles(Path.Combine(heads, "tables", "other")).Single());
        File.Copy(Path.Combine(heads, Table, $"{2:D20}.head"), Path.Combine(heads, "tables", "other", $"{2:D20}.head"));

        using var store = await OpenLakeAsync();
        var error = await Assert.ThrowsAsync<TamperedObjectException>(() => DeltaTable.OpenAsync(store.Objects, "tables/other"));
        Assert.Equal($"_heads/tables/other/{2:D20}.head", error.Key);
    }

    [Fact]
    public async Task A_head_behind_the_log_is_a_writer_stopped_before_its_head_record_and_is_accepted()
    {
        var heads = Path.Combine(LakePath(), "_heads", Table);
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 2);
            var second = File.ReadAllBytes(Path.Combine(heads, $"{2:D20}.head"));
            await WriteAsync(lake.Objects, 1, firstId: 10);

            // The state a writer killed between its commit 3 and its head record leaves.
            File.Delete(Path.Combine(heads, $"{3:D20}.head"));
            File.WriteAllBytes(Path.Combine(heads, $"{2:D20}.head"), second);
        }

        Assert.Null(await OpenFreshAsync());
        Assert.Empty(await VerifyAsync());
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 1, firstId: 20);
            Assert.Equal(4, (await ((ITableHeadStore)lake.Objects).ReadHeadAsync(Table))!.Version);
        }
    }

    [Fact]
    public async Task Deleting_every_head_record_of_a_table_with_history_is_detected()
    {
        using (var lake = await OpenLakeAsync())
        {
            await WriteAsync(lake.Objects, 3);
        }

        Directory.Delete(Path.Combine(LakePath(), "_heads", Table), recursive: true);

        Assert.Contains("it has no head record but its log has 4 versions", Assert.IsType<TableTamperedException>(await OpenFreshAsync()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_outside_a_lake_keeps_no_head_and_writes_no_links()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "plain"));
        await WriteAsync(store, 2);

        var commit = await store.ReadAllBytesAsync($"{Table}/_delta_log/{2:D20}.json");
        Assert.DoesNotContain("previousCommitSha256", System.Text.Encoding.UTF8.GetString(commit), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "plain", "_heads")));
        Assert.Empty(await DeltaTable.VerifyLogAsync(store, Table));
    }
}
