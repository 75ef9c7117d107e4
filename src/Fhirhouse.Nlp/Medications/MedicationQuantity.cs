namespace Fhirhouse.Nlp.Medications;

/// <summary>A quantity said of a drug: its value, UCUM unit (<c>mg</c>, <c>[iU]</c>, <c>{tbl}</c>, <c>d</c>), the words as written and their span.</summary>
public sealed record MedicationQuantity(decimal Value, string Unit, string Text, int Start, int End);
