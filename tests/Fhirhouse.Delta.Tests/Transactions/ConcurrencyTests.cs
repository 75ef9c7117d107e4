using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Transactions;

public sealed class ConcurrencyTests
{
    private static AddFile FakeFile(string name) => new(name + ".parquet", new Dictionary<string, string?>(), 1, 1, true);

    [Fact]
    public async Task Blind_appends_from_the_same_version_both_commit_at_consecutive_versions()
    {
        using var temp = new TempFolder();
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "t", TestTables.People);
        var read = await table.GetSnapshotAsync();
        var first = new Transaction(table, read, "WRITE");
        first.Add(FakeFile("a"));
        var second = new Transaction(table, read, "WRITE");
        second.Add(FakeFile("b"));

        Assert.Equal(1, await first.CommitAsync(default));
        Assert.Equal(2, await second.CommitAsync(default));
        Assert.Equal(["a.parquet", "b.parquet"], (await table.GetSnapshotAsync()).Files.Select(f => f.Path).Order());
    }

    [Fact]
    public async Task A_delete_that_read_the_table_conflicts_with_a_concurrent_append()
    {
        using var temp = new TempFolder();
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "t", TestTables.People);
        await table.AppendAsync([TestTables.Person(1)]);
        var read = await table.GetSnapshotAsync();
        var delete = new Transaction(table, read, "DELETE") { ReadWholeTable = true };
        delete.ReadFiles.Add(read.Files[0].Path);
        delete.Add(Fhirhouse.Delta.Transactions.TableWriter.Remove(read.Files[0], 1));

        await table.AppendAsync([TestTables.Person(2)]);
        var conflict = await Assert.ThrowsAsync<CommitConflictException>(() => delete.CommitAsync(default));
        Assert.Equal(2, conflict.Version);
        Assert.Equal("WRITE", conflict.WinningCommit?.Operation);
        Assert.Equal(2, (await TestTables.ReadAllAsync(table)).Count);
    }

    [Fact]
    public async Task Two_removes_of_the_same_file_conflict()
    {
        using var temp = new TempFolder();
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "t", TestTables.People);
        await table.AppendAsync([TestTables.Person(1)]);
        var read = await table.GetSnapshotAsync();
        var late = new Transaction(table, read, "DELETE");
        late.ReadFiles.Add(read.Files[0].Path);
        late.Add(Fhirhouse.Delta.Transactions.TableWriter.Remove(read.Files[0], 1));

        await table.DeleteAsync(_ => true);
        var conflict = await Assert.ThrowsAsync<CommitConflictException>(() => late.CommitAsync(default));
        Assert.Contains("removed the file", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_batches_of_one_application_conflict()
    {
        using var temp = new TempFolder();
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "t", TestTables.People);
        var read = await table.GetSnapshotAsync();
        var late = new Transaction(table, read, "WRITE");
        late.Add(FakeFile("late"));
        late.Add(new SetTransaction("app", 1, 0));

        await table.AppendAsync([TestTables.Person(1)], new AppTransaction("app", 1));
        await Assert.ThrowsAsync<CommitConflictException>(() => late.CommitAsync(default));
    }

    [Fact]
    public async Task Creating_a_table_twice_fails_with_a_conflict_on_version_zero()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        await DeltaTable.CreateAsync(store, "t", TestTables.People);
        var conflict = await Assert.ThrowsAsync<CommitConflictException>(() => DeltaTable.CreateAsync(store, "t", TestTables.People));
        Assert.Equal(0, conflict.Version);
        Assert.Equal("CREATE TABLE", conflict.WinningCommit?.Operation);
    }

    [Fact]
    public async Task Parallel_appenders_in_one_process_leave_a_contiguous_log_with_every_row_once()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        await DeltaTable.CreateAsync(store, "t", TestTables.People);
        var tasks = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var table = await DeltaTable.OpenAsync(store, "t");
            for (var i = 0; i < 5; i++)
            {
                await table.AppendAsync([TestTables.Person((w * 100) + i)]);
            }
        }));
        await Task.WhenAll(tasks);

        var table = await DeltaTable.OpenAsync(store, "t");
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(20, snapshot.Version);
        var ids = (await TestTables.ReadAllAsync(table)).Select(r => (long)r[0]!).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(0, 5).Select(i => (long)((w * 100) + i))).Order(), ids);
    }
}
