namespace Fhirhouse.Nlp.Medications;

/// <summary>
/// A phrase of the dosage terms and what it means: <see cref="Code"/> is the UCUM unit (dose, duration, period), the form
/// (form, count) or the SNOMED CT code (route); <see cref="Detail"/> the form's UCUM unit, the route's display, or what
/// an as-needed phrase is for ("-" for nothing, "+" for the words that follow, "*" for those words if any). <see cref="Frequency"/>,
/// <see cref="Period"/> and a duration's <see cref="Amount"/> are numbers, or "#" for the number the text gives.
/// </summary>
internal sealed record DosageCue(
    DosageCueKind Kind,
    string Code = "",
    string Detail = "",
    string Frequency = "",
    string Period = "",
    string Amount = "",
    IReadOnlyList<string>? When = null);
