namespace Fhirhouse.Synthetic;

/// <summary>
/// A named change in the hospital over time, switched on from <see cref="HospitalOptions.DriftStart"/>
/// (the middle of the generated span). docs/synthetic.md describes each one and what a drift monitor should see.
/// </summary>
public enum DriftScenario
{
    /// <summary><c>ageing-population</c>: new patients are older each year (mean age +2.5 years per year).</summary>
    AgeingPopulation,

    /// <summary><c>respiratory-wave</c>: a winter wave of COVID-19 and influenza around the drift start (incidence x6).</summary>
    RespiratoryWave,

    /// <summary><c>glucose-unit-change</c>: the lab reports glucose in mmol/L (LOINC 14749-6) instead of mg/dL (2345-7).</summary>
    GlucoseUnitChange,

    /// <summary><c>hba1c-assay-change</c>: a new HbA1c assay reads 0.4 % higher and its reference range ends at 6.0 % instead of 5.6 %.</summary>
    Hba1cAssayChange,

    /// <summary><c>coding-practice-change</c>: new Conditions are coded in SNOMED CT only (no ICD-10), hypertension as essential hypertension.</summary>
    CodingPracticeChange,
}
