namespace Fhirhouse.Storage.Keys.Caching;

/// <summary>
/// Tells every data-key cache of the process over the same kind of provider (<see cref="IKeyProvider.Name"/>) that a KEK
/// (or one version of it) was destroyed or retired, whichever provider instance did it: a shredded scope is never served from a cache afterwards. The providers of this library
/// announce their removals; <see cref="CachingKeyProvider"/> announces those made through it, for any provider.
/// Caches are held weakly, so a cache nobody disposed does not stay alive for the announcements.
/// </summary>
internal static class KeyRemovals
{
    private static readonly Lock s_gate = new();
    private static readonly List<WeakReference<DataKeyCache>> s_caches = [];

    public static void Register(DataKeyCache cache)
    {
        lock (s_gate)
        {
            s_caches.RemoveAll(static r => !r.TryGetTarget(out _));
            s_caches.Add(new WeakReference<DataKeyCache>(cache));
        }
    }

    public static void Unregister(DataKeyCache cache)
    {
        lock (s_gate)
        {
            s_caches.RemoveAll(r => !r.TryGetTarget(out var c) || ReferenceEquals(c, cache));
        }
    }

    /// <summary>Awaits <paramref name="removal"/>, then announces it (also when it failed part-way: dropping keys is always safe).</summary>
    public static async Task AfterAsync(Task removal, string provider, string keyId, int? version)
    {
        try
        {
            await removal.ConfigureAwait(false);
        }
        finally
        {
            Announce(provider, keyId, version);
        }
    }

    /// <summary>Every version of <paramref name="keyId"/> when <paramref name="version"/> is null, else that version.</summary>
    public static void Announce(string provider, string keyId, int? version)
    {
        DataKeyCache[] caches;
        lock (s_gate)
        {
            caches = [.. s_caches.Select(static r => r.TryGetTarget(out var c) ? c : null).OfType<DataKeyCache>().Where(c => string.Equals(c.Provider, provider, StringComparison.Ordinal))];
        }

        foreach (var cache in caches)
        {
            cache.Invalidate(keyId, version);
        }
    }
}
