using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Errors;
using Fhirhouse.Storage.Keys.Caching;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>
/// The embedded key provider: a JSON keyring file (mode 0600) holding versioned AES-256 KEKs, each wrapped by the
/// <see cref="MasterKey"/> with AES-256-GCM. Data keys are wrapped by the KEKs with AES-256-GCM. Changes are made under a
/// file lock, re-reading the file first, and written atomically (temp file, fsync, rename).
/// </summary>
public sealed class LocalKeyring : IKeyProvider
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int WrappedSize = NonceSize + KeySize + TagSize;
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private readonly TimeProvider _time;
    private readonly RandomNumberGenerator _random;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[] _master;
    private KeyringSnapshot _snapshot;

    private LocalKeyring(string path, byte[] master, KeyringDocument document, TimeProvider time, RandomNumberGenerator random)
    {
        Path = path;
        _master = master;
        _time = time;
        _random = random;
        _snapshot = new KeyringSnapshot(document, UnwrapAll(path, master, document), StampOf(path));
    }

    /// <summary>The keyring file.</summary>
    public string Path { get; }

    public string Name => "keyring";

    /// <summary>Creates a new, empty keyring at <paramref name="path"/>; fails when a file is already there.</summary>
    public static LocalKeyring Create(string path, MasterKey master, TimeProvider? time = null, RandomNumberGenerator? random = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(master);
        var full = System.IO.Path.GetFullPath(path);
        random ??= RandomNumberGenerator.Create();
        if (File.Exists(full))
        {
            throw new KeyringAccessException(full, "a keyring already exists there; open it instead", kind: ErrorKind.Usage);
        }

        var kdf = master.NewKdf(random);
        var key = master.Derive(kdf, full);
        var document = new KeyringDocument(KeyringDocument.CurrentFormat, new KeyringMaster(master.Source, Check(key, random), kdf), []);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Write(full, document);
        return new LocalKeyring(full, key, document, time ?? TimeProvider.System, random);
    }

    /// <summary>
    /// Opens the keyring at <paramref name="path"/>; throws <see cref="KeyringAccessException"/> (and writes nothing)
    /// when the file is missing or malformed or the master key (or passphrase) is not the one it was made with.
    /// </summary>
    public static LocalKeyring Open(string path, MasterKey master, TimeProvider? time = null, RandomNumberGenerator? random = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(master);
        var full = System.IO.Path.GetFullPath(path);
        var document = Read(full);
        if (document.Master.Source != master.Source)
        {
            throw new KeyringAccessException(full,
                $"its master key comes from a {document.Master.Source}, but a {master.Source} was given");
        }

        var key = master.Derive(document.Master.Kdf, full);
        if (!CheckMatches(key, document.Master.Check))
        {
            CryptographicOperations.ZeroMemory(key);
            var what = master.Source == MasterKey.PassphraseSource ? "passphrase" : "master key";
            throw new KeyringAccessException(full, $"wrong {what}: it does not open this keyring (nothing was changed)");
        }

        return new LocalKeyring(full, key, document, time ?? TimeProvider.System, random ?? RandomNumberGenerator.Create());
    }

    /// <summary>
    /// The zero-configuration default: opens the keyring at <paramref name="keyringPath"/> with the master key file at
    /// <paramref name="masterKeyPath"/>, creating on first use a random master key file (mode 0600) and an empty keyring.
    /// An existing keyring whose master key file is missing is an error, never a reason to make a new key.
    /// </summary>
    public static OpenedKeyring OpenOrCreate(string keyringPath, string masterKeyPath, TimeProvider? time = null, RandomNumberGenerator? random = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyringPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(masterKeyPath);
        var masterFile = System.IO.Path.GetFullPath(masterKeyPath);
        if (File.Exists(keyringPath))
        {
            return new OpenedKeyring(Open(keyringPath, MasterKey.FromKeyFile(masterFile), time, random), false, masterFile);
        }

        var master = File.Exists(masterFile) ? MasterKey.FromKeyFile(masterFile) : MasterKey.CreateKeyFile(masterFile, random);
        return new OpenedKeyring(Create(keyringPath, master, time, random), true, masterFile);
    }

    public async Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        var snapshot = await FreshAsync(cancellationToken).ConfigureAwait(false);
        var entry = snapshot.Document.Keys.Find(k => k.Id == keyId);
        if (entry is null || entry.Versions.Count == 0)
        {
            throw Unavailable(keyId, null, entry);
        }

        var kek = snapshot.Keks[(keyId, entry.Current)];
        return new WrappedDataKey(keyId, entry.Current, Seal(kek, dataKey.Span, DataKeyContext(keyId, entry.Current), _random));
    }

    public async Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        var snapshot = await FreshAsync(cancellationToken).ConfigureAwait(false);
        if (!snapshot.Keks.TryGetValue((wrapped.KeyId, wrapped.KekVersion), out var kek))
        {
            throw Unavailable(wrapped.KeyId, wrapped.KekVersion, snapshot.Document.Keys.Find(k => k.Id == wrapped.KeyId));
        }

        return Open(kek, wrapped.Ciphertext.Span, DataKeyContext(wrapped.KeyId, wrapped.KekVersion))
            ?? throw new CryptographicException($"The data key wrapped under '{wrapped.KeyId}' version {wrapped.KekVersion} does not authenticate.");
    }

    public Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ValidateKeyId(keyId);
        return MutateAsync(document =>
        {
            var entry = document.Keys.Find(k => k.Id == keyId);
            if (entry is { Versions.Count: > 0 })
            {
                return Info(entry);
            }

            var version = entry is null ? 1 : NextVersion(entry);
            var versions = new List<KeyringVersion> { NewVersion(keyId, version) };
            var created = new KeyringKey(keyId, version, versions, entry?.Removed ?? []);
            document.Keys.RemoveAll(k => k.Id == keyId);
            document.Keys.Add(created);
            document.Keys.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            return Info(created);
        }, cancellationToken);
    }

    public Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default) =>
        MutateAsync(document =>
        {
            var index = document.Keys.FindIndex(k => k.Id == keyId);
            if (index < 0 || document.Keys[index].Versions.Count == 0)
            {
                throw Unavailable(keyId, null, index < 0 ? null : document.Keys[index]);
            }

            var entry = document.Keys[index];
            var version = NextVersion(entry);
            var rotated = entry with { Current = version, Versions = [.. entry.Versions, NewVersion(keyId, version)] };
            document.Keys[index] = rotated;
            return Info(rotated);
        }, cancellationToken);

    public async Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Reload();
            return _snapshot.Document.Keys.Where(k => k.Versions.Count > 0).Select(Info).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default) =>
        KeyRemovals.AfterAsync(MutateAsync(document =>
        {
            var index = document.Keys.FindIndex(k => k.Id == keyId);
            if (index < 0)
            {
                throw Unavailable(keyId, version, null);
            }

            var entry = document.Keys[index];
            if (version == entry.Current)
            {
                throw new InvalidOperationException($"Version {version} of key '{keyId}' is current: rotate the key before retiring it.");
            }

            if (entry.Versions.Exists(v => v.Version == version))
            {
                document.Keys[index] = entry with
                {
                    Versions = entry.Versions.Where(v => v.Version != version).ToList(),
                    Removed = [.. entry.Removed, new KeyringRemoval(version, "retired", _time.GetUtcNow())],
                };
            }

            return true;
        }, cancellationToken), Name, keyId, version);

    public Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        KeyRemovals.AfterAsync(MutateAsync(document =>
        {
            var index = document.Keys.FindIndex(k => k.Id == keyId);
            if (index >= 0)
            {
                var entry = document.Keys[index];
                var now = _time.GetUtcNow();
                document.Keys[index] = entry with
                {
                    Current = 0,
                    Versions = [],
                    Removed = [.. entry.Removed, .. entry.Versions.Select(v => new KeyringRemoval(v.Version, "destroyed", now))],
                };
            }

            return true;
        }, cancellationToken), Name, keyId, null);

    /// <summary>
    /// Re-wraps every KEK under <paramref name="newMaster"/> (e.g. to move from the generated key file to a passphrase);
    /// the KEKs themselves, and so every data key and object, are unchanged.
    /// </summary>
    public Task ChangeMasterKeyAsync(MasterKey newMaster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newMaster);
        var kdf = newMaster.NewKdf(_random);
        var key = newMaster.Derive(kdf, Path);
        return MutateAsync(document =>
        {
            var keys = document.Keys.Select(k => k with
            {
                Versions = k.Versions.Select(v => v with { Wrapped = Convert.ToBase64String(Seal(key, _snapshot.Keks[(k.Id, v.Version)], KekContext(k.Id, v.Version), _random)) }).ToList(),
            }).ToList();
            document.Keys.Clear();
            document.Keys.AddRange(keys);
            var replaced = document with { Master = new KeyringMaster(newMaster.Source, Check(key, _random), kdf) };
            var old = _master;
            _master = key;
            CryptographicOperations.ZeroMemory(old);
            return replaced;
        }, cancellationToken, replaceDocument: true);
    }

    private static KeyInfo Info(KeyringKey entry) => new(entry.Id, entry.Current, entry.Versions.Select(v => v.Version).ToList());

    private static int NextVersion(KeyringKey entry) =>
        Math.Max(entry.Versions.Select(v => v.Version).DefaultIfEmpty(0).Max(), entry.Removed.Select(r => r.Version).DefaultIfEmpty(0).Max()) + 1;

    private static void ValidateKeyId(string keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        if (Encoding.UTF8.GetByteCount(keyId) > 128)
        {
            throw new ArgumentException($"Key id '{keyId}' is longer than 128 UTF-8 bytes.", nameof(keyId));
        }
    }

    private KeyUnavailableException Unavailable(string keyId, int? version, KeyringKey? entry)
    {
        if (entry is null)
        {
            return new KeyUnavailableException(keyId, version, $"no such key in keyring '{Path}'");
        }

        var removed = entry.Removed.FindLast(r => version is null || r.Version == version);
        return removed is null
            ? new KeyUnavailableException(keyId, version, $"no such version in keyring '{Path}'")
            : new KeyUnavailableException(keyId, version, $"{removed.Reason} on {removed.At:u} in keyring '{Path}'");
    }

    private static (long Ticks, long Length) StampOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc.Ticks, file.Length) : (0, 0);
    }

    /// <summary>The snapshot, re-read first when the file changed since (another process rotated, retired or destroyed a key).</summary>
    private async Task<KeyringSnapshot> FreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (StampOf(Path) == snapshot.Stamp)
        {
            return snapshot;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Reload();
            return _snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Reload()
    {
        var stamp = StampOf(Path);
        var document = Read(Path);
        if (!CheckMatches(_master, document.Master.Check))
        {
            throw new KeyringAccessException(Path, "its master key was changed by another process; open it again with the new master key");
        }

        _snapshot = new KeyringSnapshot(document, UnwrapAll(Path, _master, document), stamp);
    }

    private Task<T> MutateAsync<T>(Func<KeyringDocument, T> change, CancellationToken cancellationToken) =>
        MutateAsync(change, cancellationToken, replaceDocument: false);

    private async Task<T> MutateAsync<T>(Func<KeyringDocument, T> change, CancellationToken cancellationToken, bool replaceDocument)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await KeyringLock.AcquireAsync(Path + ".lock", cancellationToken).ConfigureAwait(false);
            Reload();
            var working = _snapshot.Document with { Keys = [.. _snapshot.Document.Keys] };
            var result = change(working);
            var updated = replaceDocument && result is KeyringDocument replaced ? replaced : working;
            var keks = UnwrapAll(Path, _master, updated);
            Write(Path, updated);
            _snapshot = new KeyringSnapshot(updated, keks, StampOf(Path));
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private KeyringVersion NewVersion(string keyId, int version)
    {
        var kek = new byte[KeySize];
        _random.GetBytes(kek);
        try
        {
            return new KeyringVersion(version, _time.GetUtcNow(), Convert.ToBase64String(Seal(_master, kek, KekContext(keyId, version), _random)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static Dictionary<(string, int), byte[]> UnwrapAll(string path, byte[] master, KeyringDocument document)
    {
        var keks = new Dictionary<(string, int), byte[]>();
        foreach (var key in document.Keys)
        {
            foreach (var version in key.Versions)
            {
                keks[(key.Id, version.Version)] = Open(master, Convert.FromBase64String(version.Wrapped), KekContext(key.Id, version.Version))
                    ?? throw new KeyringAccessException(path, $"key '{key.Id}' version {version.Version} does not authenticate: the keyring file was altered", kind: ErrorKind.Data);
            }
        }

        return keks;
    }

    private static byte[] KekContext(string keyId, int version) => Encoding.UTF8.GetBytes($"fhirhouse-keyring/1 kek|{keyId}|{version}");

    private static byte[] DataKeyContext(string keyId, int version) => Encoding.UTF8.GetBytes($"fhirhouse-keyring/1 data key|{keyId}|{version}");

    private static string Check(byte[] master, RandomNumberGenerator random) =>
        Convert.ToBase64String(Seal(master, [], "fhirhouse-keyring/1 master check"u8, random));

    private static bool CheckMatches(byte[] master, string check)
    {
        try
        {
            return Open(master, Convert.FromBase64String(check), "fhirhouse-keyring/1 master check"u8) is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>AES-256-GCM: nonce (12) || ciphertext || tag (16).</summary>
    private static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context, RandomNumberGenerator random)
    {
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        random.GetBytes(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), context);
        return sealedBytes;
    }

    private static byte[]? Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> context)
    {
        if (sealedBytes.Length < NonceSize + TagSize || (sealedBytes.Length != WrappedSize && sealedBytes.Length != NonceSize + TagSize))
        {
            return null;
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes[NonceSize..^TagSize], sealedBytes[^TagSize..], plaintext, context);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static KeyringDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new KeyringAccessException(path, "no keyring file there; create one with 'fhirhouse keys init'", kind: ErrorKind.Usage);
        }

        try
        {
            var document = JsonSerializer.Deserialize<KeyringDocument>(File.ReadAllBytes(path), s_json)
                ?? throw new JsonException("empty document");
            return document.Format == KeyringDocument.CurrentFormat
                ? document
                : throw new KeyringAccessException(path, $"unknown keyring format '{document.Format}' (expected '{KeyringDocument.CurrentFormat}')", kind: ErrorKind.Data);
        }
        catch (JsonException e)
        {
            throw new KeyringAccessException(path, "the keyring file is not valid JSON", e, ErrorKind.Data);
        }
    }

    private static void Write(string path, KeyringDocument document)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(file, document, s_json);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        PosixFile.SyncFolder(folder);
    }
}
