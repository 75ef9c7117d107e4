namespace Fhirhouse.Ml.Features;

/// <summary>
/// The outcome: a row of <see cref="Source"/> matching <see cref="Where"/> in the <see cref="HorizonDays"/> after the
/// index time. With <see cref="ExcludePrior"/>, index rows whose patient already had such a row at or before the index
/// time are left out (an onset task predicts new cases only).
/// </summary>
public sealed record LabelDefinition(string Source, string? Where, int HorizonDays, bool ExcludePrior);
