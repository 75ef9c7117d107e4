using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Storage.Keys.Caching;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Fhirhouse.Storage.Keys.Pkcs11;

/// <summary>
/// KEKs held in a PKCS#11 token (an HSM; SoftHSM2 in tests) as non-extractable, sensitive AES-256 keys, one token object
/// per version labelled "fhirhouse:{keyId}:v{version}". Data keys are wrapped with CKM_AES_GCM inside the token
/// (random 96-bit IV, the key id and version as associated data); any unwrap failure is reported as a cryptographic failure
/// (tampering), since tokens report a bad GCM tag as a generic error.
/// </summary>
public sealed class Pkcs11KeyProvider : IKeyProvider, IDisposable
{
    private const int IvSize = 12;
    private static int s_resolverInstalled;
    private readonly Pkcs11Options _options;
    private readonly RandomNumberGenerator _random;
    private readonly Pkcs11InteropFactories _factories = new();
    private readonly ISession _session;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _currentVersions = new(StringComparer.Ordinal);

    /// <summary>Loads the module, finds the token by label and logs in as its user.</summary>
    public Pkcs11KeyProvider(Pkcs11Options options, RandomNumberGenerator? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = random ?? RandomNumberGenerator.Create();
        InstallLibdlResolver();
        var library = Pkcs11Module.Acquire(_factories, options.LibraryPath);
        ISession? session = null;
        try
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent)
                .FirstOrDefault(s => s.GetTokenInfo().Label.Trim() == options.TokenLabel)
                ?? throw new InvalidOperationException($"No PKCS#11 token labelled '{options.TokenLabel}' in '{options.LibraryPath}'.");
            session = slot.OpenSession(SessionType.ReadWrite);
            Login(session, options);
            _session = session;
        }
        catch
        {
            session?.Dispose();
            Pkcs11Module.Release(options.LibraryPath);
            throw;
        }
    }

    public string Name => "pkcs11";

    public Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var (version, kek) = Current(keyId);
            var iv = new byte[IvSize];
            _random.GetBytes(iv);
            var sealedKey = _session.Encrypt(Gcm(iv, keyId, version), kek, dataKey.ToArray());
            return Task.FromResult(new WrappedDataKey(keyId, version, (byte[])[.. iv, .. sealedKey]));
        }
    }

    public Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        lock (_gate)
        {
            var kek = ByLabel(wrapped.KeyId, wrapped.KekVersion) ?? throw Missing(wrapped.KeyId, wrapped.KekVersion);

            var bytes = wrapped.Ciphertext.ToArray();
            if (bytes.Length <= IvSize + 16)
            {
                throw new CryptographicException($"The data key wrapped under '{wrapped.KeyId}' version {wrapped.KekVersion} is too short.");
            }

            try
            {
                return Task.FromResult(_session.Decrypt(Gcm(bytes[..IvSize], wrapped.KeyId, wrapped.KekVersion), kek, bytes[IvSize..]));
            }
            catch (Pkcs11Exception e)
            {
                throw new CryptographicException(
                    $"The token refused to unwrap the data key under '{wrapped.KeyId}' version {wrapped.KekVersion} ({e.RV}).", e);
            }
        }
    }

    public Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        lock (_gate)
        {
            var versions = Versions(keyId);
            if (versions.Count == 0)
            {
                Generate(keyId, (DestroyedThrough(keyId)?.Version ?? 0) + 1);
            }

            return Task.FromResult(Info(keyId));
        }
    }

    public Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var versions = Versions(keyId);
            if (versions.Count == 0)
            {
                throw Missing(keyId, null);
            }

            Generate(keyId, versions.Keys.Max() + 1);
            return Task.FromResult(Info(keyId));
        }
    }

    public Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var ids = AllLabels().Select(l => l.KeyId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyList<KeyInfo>>(ids.Select(Info).ToList());
        }
    }

    public Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default) =>
        KeyRemovals.AfterAsync(RetireVersion(keyId, version), Name, keyId, version);

    public Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        KeyRemovals.AfterAsync(DestroyKey(keyId), Name, keyId, null);

    private Task RetireVersion(string keyId, int version)
    {
        lock (_gate)
        {
            var versions = Versions(keyId);
            if (versions.Count > 0 && version == versions.Keys.Max())
            {
                throw new InvalidOperationException($"Version {version} of key '{keyId}' is current: rotate the key before retiring it.");
            }

            if (versions.TryGetValue(version, out var handle))
            {
                _session.DestroyObject(handle);
            }

            return Task.CompletedTask;
        }
    }

    private Task DestroyKey(string keyId)
    {
        lock (_gate)
        {
            var versions = Versions(keyId);
            if (versions.Count == 0)
            {
                return Task.CompletedTask;
            }

            // A tombstone (a data object) remembers the highest destroyed version: a later key of the same id starts
            // above it, so data wrapped under a destroyed version reads as "destroyed", never under a new key.
            var through = versions.Keys.Max();
            if (DestroyedThrough(keyId) is { } old)
            {
                _session.DestroyObject(old.Handle);
            }

            var a = _factories.ObjectAttributeFactory;
            _session.CreateObject(
            [
                a.Create(CKA.CKA_CLASS, CKO.CKO_DATA),
                a.Create(CKA.CKA_TOKEN, true),
                a.Create(CKA.CKA_PRIVATE, true),
                a.Create(CKA.CKA_LABEL, TombstoneLabel(keyId)),
                a.Create(CKA.CKA_VALUE, Encoding.ASCII.GetBytes(through.ToString(CultureInfo.InvariantCulture))),
            ]);
            foreach (var handle in versions.Values)
            {
                _session.DestroyObject(handle);
            }

            _currentVersions.Remove(keyId);
            return Task.CompletedTask;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _session.Logout();
            }
            catch (Pkcs11Exception)
            {
                // Already logged out: nothing to undo.
            }

            _session.Dispose();
            Pkcs11Module.Release(_options.LibraryPath);
        }
    }

    /// <summary>Pkcs11Interop 5.3 loads "libdl", which Debian 12 and later only ship as libdl.so.2.</summary>
    private static void InstallLibdlResolver()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_resolverInstalled, 1) == 1)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, static (name, assembly, path) =>
                name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", assembly, path, out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // The host installed its own resolver for Pkcs11Interop: it decides.
        }
    }

    private static void Login(ISession session, Pkcs11Options options)
    {
        try
        {
            session.Login(CKU.CKU_USER, options.UserPin);
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Login state is shared by every session of the process: another provider logged in already.
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_LOCKED)
        {
            throw new UnauthorizedAccessException($"PKCS#11 token '{options.TokenLabel}' refused the user PIN ({e.RV}).", e);
        }
    }

    private KeyUnavailableException Missing(string keyId, int? version) =>
        DestroyedThrough(keyId) is { } destroyed && (version is null || version <= destroyed.Version)
            && (version is null || ByLabel(keyId, version.Value) is null)
            ? new(keyId, version, $"destroyed on PKCS#11 token '{_options.TokenLabel}'")
            : new(keyId, version, $"not on PKCS#11 token '{_options.TokenLabel}' (never created, or retired)");

    private string TombstoneLabel(string keyId) => $"{_options.LabelPrefix}{keyId}:destroyed";

    private (int Version, IObjectHandle Handle)? DestroyedThrough(string keyId)
    {
        var a = _factories.ObjectAttributeFactory;
        var handle = _session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_DATA), a.Create(CKA.CKA_LABEL, TombstoneLabel(keyId))]).FirstOrDefault();
        if (handle is null)
        {
            return null;
        }

        var value = _session.GetAttributeValue(handle, [CKA.CKA_VALUE])[0].GetValueAsByteArray();
        return int.TryParse(Encoding.ASCII.GetString(value), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? (version, handle) : null;
    }

    private IMechanism Gcm(byte[] iv, string keyId, int version) =>
        _factories.MechanismFactory.Create(CKM.CKM_AES_GCM,
            _factories.MechanismParamsFactory.CreateCkGcmParams(iv, IvSize * 8, Encoding.UTF8.GetBytes($"fhirhouse-pkcs11/1|{keyId}|{version}"), 128));

    /// <summary>
    /// The current version of a key and its handle: the remembered version when its object is still on the token and no
    /// newer one is, else found by scanning the token (another process may have rotated, retired or destroyed it).
    /// </summary>
    private (int Version, IObjectHandle Handle) Current(string keyId)
    {
        if (_currentVersions.TryGetValue(keyId, out var remembered)
            && ByLabel(keyId, remembered) is { } handle
            && ByLabel(keyId, remembered + 1) is null)
        {
            return (remembered, handle);
        }

        var versions = Versions(keyId);
        if (versions.Count == 0)
        {
            _currentVersions.Remove(keyId);
            throw Missing(keyId, null);
        }

        var current = versions.Keys.Max();
        _currentVersions[keyId] = current;
        return (current, versions[current]);
    }

    private IObjectHandle? ByLabel(string keyId, int version)
    {
        var a = _factories.ObjectAttributeFactory;
        return _session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), a.Create(CKA.CKA_LABEL, Label(keyId, version))]).FirstOrDefault();
    }

    private KeyInfo Info(string keyId)
    {
        var versions = Versions(keyId).Keys.Order().ToList();
        return new KeyInfo(keyId, versions[^1], versions);
    }

    private void Generate(string keyId, int version)
    {
        var a = _factories.ObjectAttributeFactory;
        _session.GenerateKey(_factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN),
        [
            a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            a.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            a.Create(CKA.CKA_VALUE_LEN, 32UL),
            a.Create(CKA.CKA_TOKEN, true),
            a.Create(CKA.CKA_PRIVATE, true),
            a.Create(CKA.CKA_SENSITIVE, true),
            a.Create(CKA.CKA_EXTRACTABLE, false),
            a.Create(CKA.CKA_ENCRYPT, true),
            a.Create(CKA.CKA_DECRYPT, true),
            a.Create(CKA.CKA_LABEL, Label(keyId, version)),
        ]);
    }

    private string Label(string keyId, int version) => $"{_options.LabelPrefix}{keyId}:v{version.ToString(CultureInfo.InvariantCulture)}";

    private Dictionary<int, IObjectHandle> Versions(string keyId)
    {
        var found = new Dictionary<int, IObjectHandle>();
        foreach (var (id, version, handle) in AllLabels())
        {
            if (id == keyId)
            {
                found[version] = handle;
            }
        }

        return found;
    }

    private List<(string KeyId, int Version, IObjectHandle Handle)> AllLabels()
    {
        var a = _factories.ObjectAttributeFactory;
        var result = new List<(string, int, IObjectHandle)>();
        foreach (var handle in _session.FindAllObjects([a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY), a.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES)]))
        {
            var label = _session.GetAttributeValue(handle, [CKA.CKA_LABEL])[0].GetValueAsString();
            if (label is null || !label.StartsWith(_options.LabelPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var cut = label.LastIndexOf(":v", StringComparison.Ordinal);
            if (cut > _options.LabelPrefix.Length
                && int.TryParse(label.AsSpan(cut + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                result.Add((label[_options.LabelPrefix.Length..cut], version, handle));
            }
        }

        return result;
    }
}
