namespace Fhirhouse.Synthetic.Catalog;

/// <summary>
/// A laboratory or vital-sign measurement: its LOINC code, UCUM unit, reference range and how many decimals are
/// reported. <see cref="NoteLabelEn"/>/<see cref="NoteLabelFr"/> are the abbreviations clinicians write in notes.
/// </summary>
public sealed record LabTest(
    string Key,
    Code Loinc,
    string Unit,
    double Low,
    double High,
    int Decimals,
    string Category,
    string NoteLabelEn,
    string NoteLabelFr)
{
    /// <summary>The UCUM code of the unit (the unit itself: our units are written in UCUM).</summary>
    public string UcumCode => Unit;
}
