namespace Fhirhouse.Delta;

/// <summary>
/// The rules this library's writers follow for per-file string statistics, public so that a caller writing its own
/// data files (<see cref="DataFile"/>) records the same: a string longer than <see cref="MaxStringLength"/> characters
/// gets a prefix as its minimum (still a lower bound) and no maximum, so the log never carries whole documents.
/// </summary>
public static class StatisticsRules
{
    public const int MaxStringLength = 64;

    /// <summary>The minimum to record for <paramref name="value"/>.</summary>
    public static string Min(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxStringLength)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[MaxStringLength - 1]) ? MaxStringLength - 1 : MaxStringLength;
        return value[..cut];
    }

    /// <summary>The maximum to record for <paramref name="value"/>, or null when none may be.</summary>
    public static string? Max(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxStringLength ? value : null;
    }
}
