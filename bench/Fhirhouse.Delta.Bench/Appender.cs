using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Delta.Bench;

/// <summary>A writer process for the multi-process tests: appends rows (worker * 1,000,000 + i) one commit each.</summary>
internal static class Appender
{
    public static readonly StructType Schema = new(
        new StructField("worker", PrimitiveType.Integer, Nullable: false),
        new StructField("seq", PrimitiveType.Long, Nullable: false),
        new StructField("payload", PrimitiveType.String));

    public static async Task<int> AppendAsync(string root, string path, int worker, int count)
    {
        var store = new LocalObjectStore(root);
        var table = await DeltaTable.OpenAsync(store, path);
        for (var i = 0; i < count; i++)
        {
            await table.AppendAsync([[worker, (long)i, $"w{worker}-{i}"]]);
        }

        return 0;
    }

    /// <summary>The same, on an encrypted lake (keyring beside the test's lake): every commit chained and followed by its head record.</summary>
    public static async Task<int> AppendToLakeAsync(string lake, string keyring, string path, int worker, int count)
    {
        var keys = Storage.Keys.Keyring.LocalKeyring.OpenOrCreate(keyring, Path.ChangeExtension(keyring, ".key")).Keyring;
        using var store = await Storage.Lake.LakeStore.OpenAsync(new Storage.Lake.LakeOptions { Uri = lake, KeyProvider = keys });
        var table = await DeltaTable.OpenAsync(store.Objects, path);
        for (var i = 0; i < count; i++)
        {
            await table.AppendAsync([[worker, (long)i, $"w{worker}-{i}"]]);
        }

        return 0;
    }

    public static async Task<int> AppendForeverAsync(string root, string path)
    {
        var store = new LocalObjectStore(root);
        var table = await DeltaTable.OpenAsync(store, path, new DeltaTableOptions { CheckpointInterval = 5 });
        for (long i = 0; ; i++)
        {
            var result = await table.AppendAsync(Enumerable.Range(0, 100).Select(j => new object?[] { 0, (i * 100) + j, new string('x', 200) }));
            Console.WriteLine(result.Version);
        }
    }
}
