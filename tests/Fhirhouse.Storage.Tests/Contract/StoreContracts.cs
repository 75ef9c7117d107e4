using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Local;
using Fhirhouse.Storage.S3;
using Fhirhouse.Storage.Tests.Encryption;
using Fhirhouse.Storage.Tests.S3;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Contract;

public sealed class LocalStoreContract : ObjectStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    public LocalStoreContract() => Store = new LocalObjectStore(_folder.Path);

    protected override IObjectStore Store { get; }

    public void Dispose() => _folder.Dispose();
}

public sealed class EncryptedLocalStoreContract : ObjectStoreContract, IDisposable
{
    private readonly KeyringFixture _lake = new();

    protected override IObjectStore Store => _lake.Store;

    public void Dispose() => _lake.Dispose();
}

[Collection(nameof(S3rverCollection))]
public sealed class S3StoreContract(S3rverServer server) : ObjectStoreContract, IDisposable
{
    private readonly Amazon.S3.AmazonS3Client _client = server.Client();

    protected override IObjectStore Store => field ??= new S3ObjectStore(_client, S3rverServer.BucketName, "contract-" + Guid.NewGuid().ToString("N")[..8]);

    protected override bool EnforcesPutIfAbsent => false;

    public void Dispose() => _client.Dispose();
}

[Collection(nameof(S3rverCollection))]
public sealed class EncryptedS3StoreContract(S3rverServer server) : ObjectStoreContract, IDisposable
{
    private readonly Amazon.S3.AmazonS3Client _client = server.Client();
    private readonly KeyringFixture _keys = new();

    protected override IObjectStore Store => field ??= new EncryptedObjectStore(
        new S3ObjectStore(_client, S3rverServer.BucketName, "contract-" + Guid.NewGuid().ToString("N")[..8]), _keys.Keyring);

    protected override bool EnforcesPutIfAbsent => false;

    public void Dispose()
    {
        _client.Dispose();
        _keys.Dispose();
    }
}
