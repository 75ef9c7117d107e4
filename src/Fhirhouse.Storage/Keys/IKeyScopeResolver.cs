namespace Fhirhouse.Storage.Keys;

/// <summary>
/// Chooses the key-encryption key (the key scope) that protects an object, from its key. Destroying a scope's key
/// crypto-shreds every object written under it. Key ids are stored in clear in object headers: they must not carry PHI.
/// </summary>
public interface IKeyScopeResolver
{
    /// <summary>The KEK id for a new object with key <paramref name="objectKey"/>.</summary>
    string KeyIdFor(string objectKey);
}
