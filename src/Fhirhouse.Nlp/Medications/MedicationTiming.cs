namespace Fhirhouse.Nlp.Medications;

/// <summary>
/// How often a drug is taken, as FHIR <c>Timing.repeat</c>: <see cref="Frequency"/> times per <see cref="Period"/>
/// <see cref="PeriodUnit"/> (<c>h</c>, <c>d</c>, <c>wk</c>, <c>mo</c>), at the times of day of <see cref="When"/>
/// (EventTiming: MORN, NOON, EVE, NIGHT, HS). "2 fois par jour" is 2 per 1 d; "q8h" 1 per 8 h; "1-0-1" 2 per 1 d, MORN EVE.
/// </summary>
public sealed record MedicationTiming(int Frequency, decimal Period, string PeriodUnit, IReadOnlyList<string> When, string Text, int Start, int End);
