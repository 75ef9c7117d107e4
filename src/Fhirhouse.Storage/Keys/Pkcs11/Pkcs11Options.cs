namespace Fhirhouse.Storage.Keys.Pkcs11;

/// <summary>Which PKCS#11 module and token hold the KEKs, and the user PIN (passed by the host, never read from the environment here).</summary>
public sealed record Pkcs11Options(string LibraryPath, string TokenLabel, string UserPin)
{
    /// <summary>Prefix of the CKA_LABEL of every KEK object this provider manages: "{prefix}{keyId}:v{version}".</summary>
    public string LabelPrefix { get; init; } = "fhirhouse:";
}
