using Fhirhouse.Governance.Secrets;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Governance.Enforcement;

/// <summary>
/// The key of the <c>hash</c> mask: derived (HKDF, purpose <see cref="Purpose"/>) from the lake's governance secret
/// (<see cref="LakeSecrets"/>: made once per lake, kept wrapped by the lake's key provider, unwrapped into memory only).
/// Destroying that secret's key in the provider makes earlier pseudonyms unlinkable to new ones.
/// </summary>
public static class MaskKey
{
    public const string Purpose = "query-mask";

    public static async Task<byte[]> LoadOrCreateAsync(IObjectStore store, IKeyProvider keys, CancellationToken cancellationToken = default) =>
        (await LakeSecrets.OpenAsync(store, keys, cancellationToken).ConfigureAwait(false)).Derive(Purpose);
}
