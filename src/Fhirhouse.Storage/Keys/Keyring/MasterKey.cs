using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Errors;
using Konscious.Security.Cryptography;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>
/// The key that wraps a keyring's KEKs: read from a key file only its owner can read, derived from a passphrase with
/// Argon2id, or supplied as 32 bytes by the host (e.g. from an environment variable). Never written in clear by the keyring.
/// </summary>
public sealed class MasterKey
{
    internal const string KeyFileSource = "key-file";
    internal const string PassphraseSource = "passphrase";
    internal const string SuppliedSource = "supplied";
    private const int KeySize = 32;
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string? _file;
    private readonly string? _passphrase;
    private readonly byte[]? _supplied;
    private readonly Argon2Cost _cost;

    private MasterKey(string source, string? file, string? passphrase, byte[]? supplied, Argon2Cost cost)
    {
        Source = source;
        _file = file;
        _passphrase = passphrase;
        _supplied = supplied;
        _cost = cost;
    }

    internal string Source { get; }

    /// <summary>A master key kept in <paramref name="path"/> (base64 of 32 bytes, mode 0600 required).</summary>
    public static MasterKey FromKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new MasterKey(KeyFileSource, Path.GetFullPath(path), null, null, Argon2Cost.Default);
    }

    /// <summary>A master key derived from <paramref name="passphrase"/> with Argon2id; <paramref name="cost"/> applies when a keyring is created or re-keyed.</summary>
    public static MasterKey FromPassphrase(string passphrase, Argon2Cost? cost = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        return new MasterKey(PassphraseSource, null, passphrase, null, cost ?? Argon2Cost.Default);
    }

    /// <summary>A 32-byte master key the host obtained itself (from an environment variable or a secret store).</summary>
    public static MasterKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A master key is {KeySize} bytes; got {key.Length}.", nameof(key));
        }

        return new MasterKey(SuppliedSource, null, null, key.ToArray(), Argon2Cost.Default);
    }

    /// <summary>
    /// Writes a new random master key to <paramref name="path"/>, created with mode 0600 (owner only, like an SSH key);
    /// fails when the file exists.
    /// </summary>
    public static MasterKey CreateKeyFile(string path, RandomNumberGenerator? random = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var key = new byte[KeySize];
        (random ?? RandomNumberGenerator.Create()).GetBytes(key);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using var file = new FileStream(full, options);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
            file.Flush(flushToDisk: true);
        }
        catch (IOException e) when (File.Exists(full))
        {
            throw new KeyringAccessException(full, "a master key file already exists there; refusing to overwrite it", e, ErrorKind.Usage);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return FromKeyFile(full);
    }

    /// <summary>The Argon2id parameters (with a fresh salt) for a keyring created or re-keyed with this master key.</summary>
    internal KeyringKdf? NewKdf(RandomNumberGenerator random)
    {
        if (Source != PassphraseSource)
        {
            return null;
        }

        var salt = new byte[16];
        random.GetBytes(salt);
        return new KeyringKdf("argon2id", Convert.ToBase64String(salt), _cost.MemoryKiB, _cost.Iterations, _cost.Parallelism);
    }

    /// <summary>The 32 master key bytes, for a keyring whose master record says <paramref name="kdf"/>.</summary>
    internal byte[] Derive(KeyringKdf? kdf, string keyringPath)
    {
        switch (Source)
        {
            case SuppliedSource:
                return _supplied!.ToArray();
            case KeyFileSource:
                return ReadKeyFile(_file!);
            default:
                if (kdf is null || kdf.Algorithm != "argon2id")
                {
                    throw new KeyringAccessException(keyringPath, "the keyring is not protected by a passphrase (no argon2id parameters)");
                }

                using (var argon = new Argon2id(Encoding.UTF8.GetBytes(_passphrase!)))
                {
                    argon.Salt = Convert.FromBase64String(kdf.Salt);
                    argon.MemorySize = kdf.MemoryKiB;
                    argon.Iterations = kdf.Iterations;
                    argon.DegreeOfParallelism = kdf.Parallelism;
                    return argon.GetBytes(KeySize);
                }
        }
    }

    private static byte[] ReadKeyFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new KeyringAccessException(path, "master key file not found", kind: ErrorKind.Usage);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new KeyringAccessException(path,
                $"the master key file is accessible to other users (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); run chmod 600 on it");
        }

        var text = File.ReadAllText(path).Trim();
        try
        {
            var key = Convert.FromBase64String(text);
            return key.Length == KeySize ? key : throw new FormatException($"{key.Length} bytes instead of {KeySize}");
        }
        catch (FormatException e)
        {
            throw new KeyringAccessException(path, "the master key file does not hold a base64 32-byte key", e, ErrorKind.Data);
        }
    }
}
