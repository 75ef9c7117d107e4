using System.Text;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Local;
using Fhirhouse.Storage.S3;
using Fhirhouse.Storage.Tests.Encryption;
using Fhirhouse.Storage.Tests.S3;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Stores;

/// <summary>
/// The Delta engine runs unchanged over every store of the lake: the same scenario (create, appends past a checkpoint,
/// exactly-once batches, UPDATE/DELETE/MERGE, change data feed, time travel, VACUUM) on local disk, encrypted local disk,
/// S3 (s3rver) and encrypted S3.
/// </summary>
public abstract class DeltaOverStoresScenario
{
    private static readonly StructType Schema = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
        new StructField("city", PrimitiveType.String));

    protected abstract IObjectStore Store { get; }

    private static object?[] Row(long id, string city) => [id, $"Zqmarker-{id}", city];

    [Fact]
    public async Task The_whole_table_lifecycle_gives_the_same_answers_on_this_store()
    {
        // VACUUM compares the stores' real modification times with the table's clock: start the clock now.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestTables.Options(clock);
        var table = await DeltaTable.CreateAsync(Store, "t/people", Schema, ["city"], new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "true" }, options);
        for (var i = 0; i < 12; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await table.AppendAsync([Row(2 * i, "Lyon"), Row((2 * i) + 1, "Nantes")], new AppTransaction("batches", i + 1));
        }

        var replayed = await table.AppendAsync([Row(999, "Lyon")], new AppTransaction("batches", 5));
        Assert.True(replayed.Skipped);

        var reopened = await DeltaTable.OpenAsync(Store, "t/people", options);
        var snapshot = await reopened.GetSnapshotAsync();
        Assert.Equal(12, snapshot.Version);
        Assert.Equal(10, snapshot.CheckpointVersion);
        Assert.Equal(24, (await TestTables.ReadAllAsync(reopened)).Count);
        Assert.Equal(12, snapshot.GetTransactionVersion("batches"));

        clock.Advance(TimeSpan.FromMinutes(1));
        await reopened.DeleteAsync(r => (long)r[0]! < 4);
        await reopened.UpdateAsync(r => (string?)r[2] == "Nantes", r => [r[0], "renamed", r[2]]);
        await reopened.MergeAsync([Row(100, "Paris"), Row(5, "Paris")], ["id"]);
        var rows = await TestTables.ReadAllAsync(reopened);
        Assert.Equal(21, rows.Count);
        Assert.Equal("Paris", rows.Single(r => (long)r[0]! == 5)[2]);
        Assert.All(rows.Where(r => (string?)r[2] == "Nantes"), r => Assert.Equal("renamed", r[1]));

        var atFour = await TestTables.ReadAllAsync(reopened, 4);
        Assert.Equal(8, atFour.Count);
        var changes = new List<object?[]>();
        await foreach (var change in reopened.ReadChangesAsync(13))
        {
            changes.Add(change);
        }

        Assert.Equal(4, changes.Count(c => (string?)c[3] == "delete"));
        Assert.Contains(changes, c => (string?)c[3] == "update_postimage" && (string?)c[1] == "renamed");

        clock.Advance(TimeSpan.FromHours(1));
        var vacuum = await reopened.VacuumAsync(TimeSpan.Zero, force: true, dryRun: true);
        Assert.NotEmpty(vacuum.DeletedKeys);
        Assert.All(vacuum.DeletedKeys, k => Assert.StartsWith("t/people/", k, StringComparison.Ordinal));
    }
}

public sealed class DeltaOverLocalStore : DeltaOverStoresScenario, IDisposable
{
    private readonly TempFolder _folder = new();

    public DeltaOverLocalStore() => Store = new LocalObjectStore(_folder.Path);

    protected override IObjectStore Store { get; }

    public void Dispose() => _folder.Dispose();
}

public sealed class DeltaOverEncryptedLocalStore : DeltaOverStoresScenario, IDisposable
{
    private readonly KeyringFixture _lake = new();

    protected override IObjectStore Store => _lake.Store;

    [Fact]
    public async Task Nothing_of_the_table_is_stored_in_clear()
    {
        await The_whole_table_lifecycle_gives_the_same_answers_on_this_store();
        var needle = Encoding.UTF8.GetBytes("Zqmarker-");
        var files = Directory.EnumerateFiles(_lake.LakePath, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(".parquet", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".checkpoint.parquet", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(File.ReadAllBytes(f).AsSpan().IndexOf(needle) < 0, $"{f} holds plaintext"));
    }

    public void Dispose() => _lake.Dispose();
}

[Collection(nameof(S3rverCollection))]
public sealed class DeltaOverS3Store(S3rverServer server) : DeltaOverStoresScenario, IDisposable
{
    private readonly Amazon.S3.AmazonS3Client _client = server.Client();

    protected override IObjectStore Store => field ??= new S3ObjectStore(_client, S3rverServer.BucketName, "delta-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _client.Dispose();
}

[Collection(nameof(S3rverCollection))]
public sealed class DeltaOverEncryptedS3Store(S3rverServer server) : DeltaOverStoresScenario, IDisposable
{
    private readonly Amazon.S3.AmazonS3Client _client = server.Client();
    private readonly KeyringFixture _keys = new();

    protected override IObjectStore Store => field ??= new EncryptedObjectStore(
        new S3ObjectStore(_client, S3rverServer.BucketName, "delta-enc-" + Guid.NewGuid().ToString("N")[..8]), _keys.Keyring);

    public void Dispose()
    {
        _client.Dispose();
        _keys.Dispose();
    }
}
