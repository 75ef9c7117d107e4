using System.Security.Cryptography;
using Amazon.S3;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Caching;

namespace Fhirhouse.Storage.Lake;

/// <summary>
/// What the host passes to <see cref="LakeStore.OpenAsync"/>: the lake URI and the means to reach it. Libraries read no
/// environment variables: the CLI resolves <c>--lake</c>, <c>FHIRHOUSE_LAKE</c> and the AWS profile into these.
/// </summary>
public sealed record LakeOptions
{
    /// <summary><c>file:///path</c>, <c>s3://bucket/prefix</c>, or a folder path.</summary>
    public required string Uri { get; init; }

    /// <summary>The mode for a new lake (default envelope); for an existing lake, null accepts what it records, a value must match it.</summary>
    public LakeEncryption? Encryption { get; init; }

    /// <summary>The KEK provider of an envelope lake.</summary>
    public IKeyProvider? KeyProvider { get; init; }

    /// <summary>
    /// The cache of unwrapped data keys of an envelope lake (default 4,096 keys for 5 minutes, on <see cref="Time"/>
    /// unless it names its own clock); null: every object open asks the key provider.
    /// </summary>
    public DataKeyCacheOptions? DataKeyCache { get; init; } = new();

    /// <summary>Key scopes of an envelope lake (default: one key, "lake").</summary>
    public IKeyScopeResolver? KeyScopes { get; init; }

    /// <summary>The S3 client for an s3:// lake, built by the host from the standard AWS environment and profile.</summary>
    public IAmazonS3? S3Client { get; init; }

    /// <summary>The KMS key of a new sse-kms lake.</summary>
    public string? SseKmsKeyId { get; init; }

    /// <summary>Clock for the creation time recorded in the metadata and for the data-key cache.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Opens a lake that predates lake ids (or whose upgrade was interrupted) for <see cref="LakeStore.UpgradeAsync"/>
    /// only; every other open refuses such a lake, naming the command that upgrades it.
    /// </summary>
    public bool ForUpgrade { get; init; }

    /// <summary>CSPRNG for data keys, nonces and the id of a new lake.</summary>
    public RandomNumberGenerator Random { get; init; } = RandomNumberGenerator.Create();
}
