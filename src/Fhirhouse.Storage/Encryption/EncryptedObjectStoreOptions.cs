using System.Security.Cryptography;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Caching;

namespace Fhirhouse.Storage.Encryption;

/// <summary>How an <see cref="EncryptedObjectStore"/> chooses keys, caches unwrapped data keys and draws randomness.</summary>
public sealed record EncryptedObjectStoreOptions
{
    /// <summary>The KEK id used when no <see cref="KeyScopes"/> is given.</summary>
    public const string DefaultKeyId = "lake";

    /// <summary>Which KEK protects each new object; default: <see cref="DefaultKeyId"/> for everything.</summary>
    public IKeyScopeResolver KeyScopes { get; init; } = PrefixKeyScopeResolver.Single(DefaultKeyId);

    /// <summary>Creates a scope's KEK on the first write that needs it (per-patient or per-batch scopes); default true.</summary>
    public bool CreateMissingKeys { get; init; } = true;

    /// <summary>The source of data keys and nonce prefixes; must be a CSPRNG. Default: the system's.</summary>
    public RandomNumberGenerator Random { get; init; } = RandomNumberGenerator.Create();

    /// <summary>
    /// The cache of unwrapped data keys the store puts in front of its provider (see <see cref="CachingKeyProvider"/>);
    /// default 4,096 keys for 5 minutes; null: every object open asks the provider. Ignored when the provider given to
    /// the store already is a <see cref="CachingKeyProvider"/> (one cache shared by several stores).
    /// </summary>
    public DataKeyCacheOptions? DataKeyCache { get; init; } = new();

    /// <summary>
    /// The 16-byte id of the lake this store holds, written into every object's header (under its MAC): an object whose
    /// header names another lake, or none, fails as tampered. Null (a store outside a lake): objects carry no lake id
    /// and any is accepted.
    /// </summary>
    public byte[]? LakeId { get; init; }

    /// <summary>
    /// Accepts objects whose header names no lake (written before lakes had ids) while <see cref="LakeId"/> is set: only
    /// for <c>fhirhouse lake upgrade</c>, which gives them the id.
    /// </summary>
    public bool AcceptObjectsWithoutLakeId { get; init; }
}
