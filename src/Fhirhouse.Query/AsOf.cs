using System.Globalization;

namespace Fhirhouse.Query;

/// <summary>A point in a table's history: a version number or a timestamp (the latest version committed at or before it).</summary>
public readonly record struct AsOf
{
    private AsOf(long? version, DateTimeOffset? timestamp)
    {
        Version = version;
        Timestamp = timestamp;
    }

    /// <summary>The table version, when the point is a version.</summary>
    public long? Version { get; }

    /// <summary>The instant, when the point is a timestamp.</summary>
    public DateTimeOffset? Timestamp { get; }

    public static AsOf AtVersion(long version) =>
        version >= 0 ? new AsOf(version, null) : throw new ArgumentOutOfRangeException(nameof(version), version, "A table version is 0 or more.");

    public static AsOf AtTimestamp(DateTimeOffset timestamp) => new(null, timestamp.ToUniversalTime());

    /// <summary>
    /// Parses <c>3</c> (a version) or an ISO 8601 timestamp (<c>2026-11-28T10:00:00Z</c>; without an offset it is UTC);
    /// throws <see cref="ArgumentException"/> naming the text otherwise.
    /// </summary>
    public static AsOf Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return AtVersion(version);
        }

        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            return AtTimestamp(timestamp);
        }

        throw new ArgumentException($"'{text}' is neither a table version (0, 1, 2...) nor a timestamp (2026-11-28T10:00:00Z).", nameof(text));
    }

    /// <summary>The suffix of the name a time-travelled table gets in SQL: <c>@v3</c> or <c>@2026-11-28T10:00:00.0000000+00:00</c>.</summary>
    public override string ToString() =>
        Version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture);
}
