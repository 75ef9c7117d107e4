namespace Fhirhouse.Nlp.Measurements;

/// <summary>
/// A unit a test is read in: the values believed (inclusive), the languages that assume it when no unit is written
/// (<c>fr</c>, <c>en</c>, <c>*</c>, or <c>-</c> for none), its LOINC code and display, and the unit and factor it is reported in.
/// </summary>
internal sealed record MeasurementRange(string Ucum, decimal Min, decimal Max, string Default, string Loinc, string Display, string ReportUcum, decimal Factor)
{
    public bool Holds(decimal value) => value >= Min && value <= Max;

    public bool AssumedIn(string language) => Default == "*" || Default == language;
}
