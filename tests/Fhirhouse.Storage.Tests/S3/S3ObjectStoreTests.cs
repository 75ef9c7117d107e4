using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.S3;
using Fhirhouse.Storage.Tests.Encryption;

namespace Fhirhouse.Storage.Tests.S3;

[Collection(nameof(S3rverCollection))]
public sealed class S3ObjectStoreTests(S3rverServer server) : IDisposable
{
    private readonly string _prefix = "lake-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Amazon.S3.AmazonS3Client _client = server.Client();

    public void Dispose()
    {
        server.Http.RefuseConditionalWrites = false;
        _client.Dispose();
    }

    private S3ObjectStore Store(S3ObjectStoreOptions? options = null) => new(_client, S3rverServer.BucketName, _prefix, options);

    [Fact]
    public async Task Put_then_read_list_and_delete_behave_like_the_contract_says()
    {
        var store = Store();
        foreach (var key in new[] { "t/_delta_log/00002.json", "t/_delta_log/00000.json", "t/part=b/x.parquet", "t/_delta_log/00001.json", "u/other" })
        {
            await store.PutAsync(key, Encoding.UTF8.GetBytes(key));
        }

        Assert.Equal(["t/_delta_log/00000.json", "t/_delta_log/00001.json", "t/_delta_log/00002.json"],
            await store.ListAsync("t/_delta_log/").Select(o => o.Key).ToListAsync());
        Assert.Equal("u/other", Encoding.UTF8.GetString(await store.ReadAllBytesAsync("u/other")));
        Assert.Equal(7, (await store.GetInfoAsync("u/other"))!.Size);
        Assert.Null(await store.GetInfoAsync("missing"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.OpenReadAsync("missing"));

        await store.DeleteAsync("u/other");
        await store.DeleteAsync("u/other");
        Assert.False(await store.ExistsAsync("u/other"));
    }

    [Fact]
    public async Task Ranged_reads_and_the_seekable_stream_return_the_requested_bytes()
    {
        var store = Store(new S3ObjectStoreOptions { ReadAheadBytes = 1000 });
        var data = RandomNumberGenerator.GetBytes(10_000);
        await store.PutAsync("f.bin", data);

        var buffer = new byte[500];
        Assert.Equal(500, await store.ReadRangeAsync("f.bin", 1234, buffer));
        Assert.Equal(data[1234..1734], buffer);
        Assert.Equal(100, await store.ReadRangeAsync("f.bin", 9900, buffer));
        Assert.Equal(0, await store.ReadRangeAsync("f.bin", 20_000, buffer));

        await using var stream = await store.OpenReadAsync("f.bin");
        stream.Seek(-8, SeekOrigin.End);
        var footer = new byte[8];
        await stream.ReadExactlyAsync(footer);
        Assert.Equal(data[^8..], footer);
        stream.Position = 0;
        var all = new byte[data.Length];
        await stream.ReadExactlyAsync(all);
        Assert.Equal(data, all);
    }

    [Fact]
    public async Task A_synchronous_read_is_served_from_fetched_bytes_and_refused_elsewhere_without_blocking()
    {
        var store = Store(new S3ObjectStoreOptions { ReadAheadBytes = 1000 });
        var data = RandomNumberGenerator.GetBytes(10_000);
        await store.PutAsync("s.bin", data);
        await using var stream = await store.OpenReadAsync("s.bin");
        var first = new byte[10];
        await stream.ReadExactlyAsync(first);
        server.Http.Clear();

        var within = new byte[100];
        stream.ReadExactly(within);
        Assert.Equal(data[10..110], within);
        stream.Position = 5000;
        var error = Assert.Throws<NotSupportedException>(() => stream.ReadExactly(within));

        Assert.Contains("s.bin", error.Message, StringComparison.Ordinal);
        Assert.Contains("5000", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Http.Requests);
    }

    [Fact]
    public async Task A_synchronous_reader_gets_prefetched_ranges_of_an_encrypted_s3_object()
    {
        using var keys = new KeyringFixture();
        using var encrypted = new EncryptedObjectStore(Store(), keys.Keyring);
        var data = RandomNumberGenerator.GetBytes(300_000);
        await encrypted.PutAsync("e.parquet", data);
        await using var stream = new PrefetchedReadStream(await encrypted.OpenReadAsync("e.parquet"));

        stream.Position = 200_000;
        var missing = new byte[1000];
        Assert.Throws<NotSupportedException>(() => stream.ReadExactly(missing));
        Assert.Equal((200_000L, 1000), stream.TakeMissedRange());
        Assert.Null(stream.TakeMissedRange());

        await stream.PrefetchAsync(200_000, 1000);
        await stream.PrefetchTailAsync(8);
        stream.Position = 200_000;
        stream.ReadExactly(missing);
        Assert.Equal(data[200_000..201_000], missing);
        stream.Seek(-8, SeekOrigin.End);
        var tail = new byte[8];
        stream.ReadExactly(tail);
        Assert.Equal(data[^8..], tail);
        Assert.Equal(1008, stream.PrefetchedBytes);
    }

    [Fact]
    public async Task Put_if_absent_sends_if_none_match_star_and_reports_a_refused_write_as_taken()
    {
        var store = Store();
        server.Http.Clear();

        Assert.True(await store.PutIfAbsentAsync("log/0.json", "first"u8.ToArray()));
        var put = Assert.Single(server.Http.Requests, r => r.Method == "PUT" && r.Url.AbsolutePath.EndsWith("/log/0.json", StringComparison.Ordinal));
        Assert.Equal("*", put.Headers["if-none-match"]);

        server.Http.RefuseConditionalWrites = true;
        Assert.False(await store.PutIfAbsentAsync("log/0.json", "second"u8.ToArray()));
        server.Http.RefuseConditionalWrites = false;
        Assert.Equal("first", Encoding.UTF8.GetString(await store.ReadAllBytesAsync("log/0.json")));
    }

    [Fact]
    public async Task A_plain_put_sends_no_condition()
    {
        var store = Store();
        server.Http.Clear();

        await store.PutAsync("a", "x"u8.ToArray());

        var put = Assert.Single(server.Http.Requests, r => r.Method == "PUT");
        Assert.False(put.Headers.ContainsKey("if-none-match"));
    }

    [Fact]
    public async Task Large_objects_are_uploaded_in_parts_and_read_back_whole()
    {
        var options = new S3ObjectStoreOptions { PartSize = 5 * 1024 * 1024, MultipartThreshold = 5 * 1024 * 1024 };
        var store = Store(options);
        var data = RandomNumberGenerator.GetBytes((12 * 1024 * 1024) + 17);
        server.Http.Clear();

        Assert.True(await store.PutIfAbsentAsync("big.parquet", data));

        var parts = server.Http.Requests.Where(r => r.Method == "PUT" && r.Url.Query.Contains("partNumber=", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, parts.Count);
        var complete = Assert.Single(server.Http.Requests, r => r.Method == "POST" && r.Url.Query.Contains("uploadId=", StringComparison.Ordinal));
        Assert.Equal("*", complete.Headers["if-none-match"]);
        Assert.Equal(data.Length, (await store.GetInfoAsync("big.parquet"))!.Size);
        Assert.Equal(data, await store.ReadAllBytesAsync("big.parquet"));
    }

    [Fact]
    public async Task Sse_kms_mode_sends_the_kms_headers_on_every_put_and_refuses_to_read_an_object_without_them()
    {
        var store = Store(new S3ObjectStoreOptions { SseKmsKeyId = "arn:aws:kms:eu-west-3:111122223333:key/lake" });
        server.Http.Clear();

        await store.PutAsync("t/part-0.parquet", "rows"u8.ToArray());

        var put = Assert.Single(server.Http.Requests, r => r.Method == "PUT");
        Assert.Equal("aws:kms", put.Headers["x-amz-server-side-encryption"]);
        Assert.Equal("arn:aws:kms:eu-west-3:111122223333:key/lake", put.Headers["x-amz-server-side-encryption-aws-kms-key-id"]);
        var error = await Assert.ThrowsAsync<IOException>(() => store.OpenReadAsync("t/part-0.parquet"));
        Assert.Contains("not SSE-KMS encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_encrypted_store_runs_over_s3_and_detects_tampering_there()
    {
        using var keys = new KeyringFixture();
        var plain = Store();
        var store = new EncryptedObjectStore(plain, keys.Keyring);
        var data = RandomNumberGenerator.GetBytes(200_000);
        await store.PutAsync("t/a.parquet", data);

        Assert.Equal(data, await store.ReadAllBytesAsync("t/a.parquet"));
        Assert.Equal(data.Length, (await store.ListAsync("t/").SingleAsync()).Size);
        var footer = new byte[8];
        Assert.Equal(8, await store.ReadRangeAsync("t/a.parquet", data.Length - 8, footer));
        Assert.Equal(data[^8..], footer);

        var stored = await plain.ReadAllBytesAsync("t/a.parquet");
        stored[1000] ^= 4;
        await plain.PutAsync("t/a.parquet", stored);
        var error = await Assert.ThrowsAsync<TamperedObjectException>(() => store.ReadAllBytesAsync("t/a.parquet"));
        Assert.Equal("t/a.parquet", error.Key);
    }

    [Fact]
    public async Task An_sse_kms_lake_on_s3_records_its_mode_and_puts_through_sse_kms()
    {
        var options = new Fhirhouse.Storage.Lake.LakeOptions
        {
            Uri = $"s3://{S3rverServer.BucketName}/{_prefix}",
            S3Client = _client,
            Encryption = Fhirhouse.Storage.Lake.LakeEncryption.SseKms,
            SseKmsKeyId = "alias/fhirhouse-lake",
        };
        var lake = await Fhirhouse.Storage.Lake.LakeStore.OpenAsync(options);
        server.Http.Clear();
        await lake.Objects.PutAsync("t/part-0.parquet", "rows"u8.ToArray());

        Assert.Null(lake.Encrypted);
        Assert.Equal("aws:kms", Assert.Single(server.Http.Requests, r => r.Method == "PUT").Headers["x-amz-server-side-encryption"]);
        var metadata = System.Text.Json.JsonDocument.Parse(await Store().ReadAllBytesAsync("_fhirhouse/lake.json")).RootElement;
        Assert.Equal("sse-kms", metadata.GetProperty("encryption").GetString());
        Assert.Equal("alias/fhirhouse-lake", metadata.GetProperty("sseKmsKeyId").GetString());
        var reopened = await Fhirhouse.Storage.Lake.LakeStore.OpenAsync(options with { Encryption = null });
        Assert.Equal(Fhirhouse.Storage.Lake.LakeEncryption.SseKms, reopened.Metadata.Mode);
    }

    [Fact]
    public async Task Listing_follows_continuation_pages_and_stays_sorted()
    {
        var store = Store(new S3ObjectStoreOptions { ListPageSize = 2 });
        var keys = Enumerable.Range(0, 7).Select(i => $"log/{6 - i:D5}.json").ToArray();
        foreach (var key in keys)
        {
            await store.PutAsync(key, "x"u8.ToArray());
        }

        server.Http.Clear();
        var listed = await store.ListAsync("log/").Select(o => o.Key).ToListAsync();

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed);
        Assert.Equal(4, server.Http.Requests.Count(r => r.Method == "GET" && r.Url.Query.Contains("list-type=2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Folder_markers_made_by_other_tools_are_not_listed()
    {
        var store = Store();
        await store.PutAsync("t/a", "x"u8.ToArray());
        await _client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = S3rverServer.BucketName,
            Key = _prefix + "/t/",
            ContentBody = "",
            UseChunkEncoding = false,
        });

        Assert.Equal(["t/a"], await store.ListAsync("t").Select(o => o.Key).ToListAsync());
    }

    [Fact]
    public async Task An_envelope_lake_on_s3_opens_by_uri_and_verify_names_a_tampered_object()
    {
        using var keys = new KeyringFixture();
        var lake = await Fhirhouse.Storage.Lake.LakeStore.OpenAsync(new Fhirhouse.Storage.Lake.LakeOptions
        {
            Uri = $"s3://{S3rverServer.BucketName}/{_prefix}/lake",
            S3Client = _client,
            KeyProvider = keys.Keyring,
        });
        await lake.Objects.PutAsync("t/good.parquet", RandomNumberGenerator.GetBytes(10_000));
        await lake.Objects.PutAsync("t/bad.parquet", RandomNumberGenerator.GetBytes(10_000));
        var stored = await lake.Stored.ReadAllBytesAsync("t/bad.parquet");
        stored[^3] ^= 1;
        await lake.Stored.PutAsync("t/bad.parquet", stored);

        var report = await Fhirhouse.Storage.Lake.LakeVerifier.VerifyAsync(lake);

        Assert.Equal(Fhirhouse.Storage.Lake.LakeEncryption.Envelope, lake.Metadata.Mode);
        Assert.Equal(2, report.ObjectsChecked);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(("t/bad.parquet", Fhirhouse.Storage.Lake.ObjectProblemKind.Tampered), (problem.Key, problem.Kind));
    }
}
