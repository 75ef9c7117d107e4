namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>Argon2id cost for deriving a master key from a passphrase. The default is RFC 9106's second recommended setting.</summary>
public sealed record Argon2Cost(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>64 MiB, 3 passes, 1 lane.</summary>
    public static Argon2Cost Default { get; } = new(64 * 1024, 3, 1);
}
