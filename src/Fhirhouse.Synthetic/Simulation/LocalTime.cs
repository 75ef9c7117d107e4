namespace Fhirhouse.Synthetic.Simulation;

/// <summary>Wall-clock times of a hospital in France (CET/CEST) or Britain (GMT/BST), written as FHIR dateTime with offset.</summary>
internal static class LocalTime
{
    /// <summary>The UTC offset at that wall time: EU rules, summer time from the last Sunday of March to the last Sunday of October.</summary>
    public static TimeSpan OffsetAt(DateTime wallTime, bool france)
    {
        var baseHours = france ? 1 : 0;
        var summerStart = LastSunday(wallTime.Year, 3).AddHours(2);
        var summerEnd = LastSunday(wallTime.Year, 10).AddHours(3);
        var summer = wallTime >= summerStart && wallTime < summerEnd;
        return TimeSpan.FromHours(baseHours + (summer ? 1 : 0));
    }

    /// <summary>"2024-03-12T09:30:00+01:00".</summary>
    public static string Format(DateTime wallTime, bool france) =>
        new DateTimeOffset(wallTime, OffsetAt(wallTime, france)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Unspecified);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
