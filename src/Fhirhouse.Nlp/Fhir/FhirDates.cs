using System.Globalization;
using System.Text.RegularExpressions;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>FHIR R4's <c>dateTime</c> and <c>instant</c>: whether a text is one, and an instant written from a time.</summary>
internal static partial class FhirDates
{
    public static bool IsDateTime(string? text) => text is not null && DateTimePattern().IsMatch(text);

    public static bool IsInstant(string? text) => text is not null && InstantPattern().IsMatch(text);

    /// <summary><paramref name="time"/> as an instant to the millisecond, <c>Z</c> when in UTC, else with its offset.</summary>
    public static string Instant(DateTimeOffset time) =>
        time.ToString(time.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    // The regular expressions of the R4 specification's datatypes.
    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();
}
