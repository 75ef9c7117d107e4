namespace Fhirhouse.Nlp.Measurements;

/// <summary>
/// A measurement read from a text: the test (<see cref="TestId"/> of the shipped table, its LOINC code and display),
/// the value with its comparator and UCUM unit, and where it is. A panel (blood pressure) has its values in
/// <see cref="Components"/> ("150/95": systolic 150, diastolic 95) and <see cref="Value"/> is the first of them.
/// </summary>
/// <param name="Comparator">"&lt;", "&gt;", "&lt;=" or "&gt;=" as in FHIR <c>Quantity.comparator</c>; null when none was written.</param>
/// <param name="Ucum">The UCUM code of <see cref="Value"/>: the unit written, else the test's default for the language.</param>
/// <param name="UnitText">The unit as written; empty when <see cref="UnitImplied"/>.</param>
/// <param name="UnitImplied">No unit was written: <see cref="Ucum"/> is the test's default for a value in that range.</param>
/// <param name="Rescaled">The value was written in another unit and converted: French blood pressure in cmHg ("12/8") is reported ×10 in mm[Hg].</param>
/// <param name="Start">Start of the whole measurement (its label) in the text, inclusive.</param>
/// <param name="End">End of the whole measurement (its unit, else its value), exclusive.</param>
/// <param name="ValueStart">Start of the value as written (the first number of a panel).</param>
/// <param name="ValueEnd">End of the value as written (the last number of a panel), exclusive.</param>
/// <param name="Text">The text from <see cref="Start"/> to <see cref="End"/>.</param>
public sealed record MeasurementMention(
    string TestId,
    string Loinc,
    string Display,
    decimal Value,
    string? Comparator,
    string Ucum,
    string UnitText,
    bool UnitImplied,
    bool Rescaled,
    IReadOnlyList<MeasurementComponent> Components,
    int Start,
    int End,
    int ValueStart,
    int ValueEnd,
    string Text);
