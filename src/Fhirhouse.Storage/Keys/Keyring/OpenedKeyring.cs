namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>A keyring opened by <see cref="LocalKeyring.OpenOrCreate"/>; <see cref="Created"/> says it (and its master key file) was made just now.</summary>
public sealed record OpenedKeyring(LocalKeyring Keyring, bool Created, string MasterKeyPath);
