using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Fhirhouse.Testing.Storage;

namespace Fhirhouse.Query.Tests;

/// <summary>How often a query asks the key provider (on a KMS or an HSM, a network call each time).</summary>
public sealed class KeyProviderCallsTests
{
    [Fact]
    public async Task A_query_asks_the_key_provider_once_per_object_read_and_the_same_query_in_a_new_engine_asks_nothing()
    {
        using var folder = new TempFolder();
        var keyring = LocalKeyring.Create(Path.Combine(folder.Path, "keys", "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(folder.Path, "keys", "master.key")));
        var counting = new CountingKeyProvider(keyring);
        var plain = new LocalObjectStore(Path.Combine(folder.Path, "lake"));
        var store = new EncryptedObjectStore(plain, counting);
        var schema = new StructType([new StructField("id", PrimitiveType.Long, Nullable: false), new StructField("name", PrimitiveType.String)]);
        var table = await DeltaTable.CreateAsync(store, "tables/people", schema, []);
        for (var batch = 0; batch < 4; batch++)
        {
            await table.AppendAsync(Enumerable.Range(batch * 10, 10).Select(i => new object?[] { (long)i, "p" + i }));
        }

        // A new process over the same lake: nothing cached yet.
        var reader = new EncryptedObjectStore(plain, counting);
        var objects = new List<string>();
        await foreach (var info in plain.ListAsync("tables/people/"))
        {
            objects.Add(info.Key);
        }

        using var engine = new QueryEngine(reader);
        var before = counting.Unwraps;
        var first = await engine.ExecuteAsync("SELECT count(*) AS n, sum(id) AS ids FROM people");
        var firstCalls = counting.Unwraps - before;
        using var another = new QueryEngine(reader);
        var second = await another.ExecuteAsync("SELECT count(*) AS n, sum(id) AS ids FROM people");
        var secondCalls = counting.Unwraps - before - firstCalls;

        Assert.Equal(40L, Convert.ToInt64(first.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first.Rows[0][1], second.Rows[0][1]);
        Assert.InRange(firstCalls, 1, objects.Count);
        Assert.Equal(0, secondCalls);
    }
}
