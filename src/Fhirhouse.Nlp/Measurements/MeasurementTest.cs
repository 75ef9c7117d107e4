namespace Fhirhouse.Nlp.Measurements;

/// <summary>A test of the table: its code, the components read as "a/b" (none for a single value), and its units in file order.</summary>
internal sealed record MeasurementTest(string Id, string Loinc, string Display, IReadOnlyList<(string Loinc, string Display)> Components, List<MeasurementRange> Ranges);
