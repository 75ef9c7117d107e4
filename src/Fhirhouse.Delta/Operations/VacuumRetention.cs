using System.Globalization;
using Fhirhouse.Delta.Actions;

namespace Fhirhouse.Delta;

/// <summary>Retention settings from table properties (Delta's interval syntax, e.g. "interval 7 days").</summary>
internal static class VacuumRetention
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(7);

    /// <summary><c>delta.deletedFileRetentionDuration</c>, 7 days by default.</summary>
    public static TimeSpan DeletedFileRetention(Metadata metadata) =>
        metadata.Configuration.TryGetValue("delta.deletedFileRetentionDuration", out var text) && ParseInterval(text) is { } span ? span : Default;

    /// <summary>Parses "interval N unit" (unit: second(s), minute(s), hour(s), day(s), week(s)); null when it cannot.</summary>
    public static TimeSpan? ParseInterval(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !string.Equals(parts[0], "interval", StringComparison.OrdinalIgnoreCase) ||
            !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return parts[2].ToLowerInvariant().TrimEnd('s') switch
        {
            "second" => TimeSpan.FromSeconds(n),
            "minute" => TimeSpan.FromMinutes(n),
            "hour" => TimeSpan.FromHours(n),
            "day" => TimeSpan.FromDays(n),
            "week" => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }
}
