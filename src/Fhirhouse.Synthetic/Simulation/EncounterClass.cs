namespace Fhirhouse.Synthetic.Simulation;

/// <summary>HL7 v3 ActCode encounter classes used by the hospital.</summary>
internal enum EncounterClass
{
    Ambulatory,
    Emergency,
    Inpatient,
}
