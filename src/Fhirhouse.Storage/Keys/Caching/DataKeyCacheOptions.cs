namespace Fhirhouse.Storage.Keys.Caching;

/// <summary>
/// Bounds of the cache of unwrapped data keys (<see cref="CachingKeyProvider"/>): how many keys it holds and for how long
/// a provider's answer is trusted before the provider is asked again.
/// </summary>
public sealed record DataKeyCacheOptions
{
    /// <summary>Default for <see cref="MaxEntries"/>.</summary>
    public const int DefaultMaxEntries = 4096;

    /// <summary>The most data keys held; the least recently used one goes first. At least 1. Default 4,096 (about 1 MiB).</summary>
    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>
    /// How long an unwrapped data key is served without asking the provider again, counted from the unwrap (not from
    /// the last use): the longest a key destroyed in another process can still open objects here. Default 5 minutes.
    /// </summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock entries expire by; null: the host's (<c>LakeOptions.Time</c>) or the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Throws naming the bad setting and the accepted values.</summary>
    internal void Validate()
    {
        if (MaxEntries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries,
                $"DataKeyCacheOptions.MaxEntries must be at least 1 (was {MaxEntries}); to cache nothing, give no cache options (null).");
        }

        if (TimeToLive <= TimeSpan.Zero || TimeToLive > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeToLive), TimeToLive,
                $"DataKeyCacheOptions.TimeToLive must be more than zero and at most one day (was {TimeToLive}).");
        }
    }
}
