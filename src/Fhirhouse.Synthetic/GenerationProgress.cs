namespace Fhirhouse.Synthetic;

/// <summary>How far a generation run is: patients done out of the total, resources written so far.</summary>
public readonly record struct GenerationProgress(int PatientsDone, int PatientsTotal, long Resources);
