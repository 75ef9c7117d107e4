namespace Fhirhouse.Synthetic.Catalog;

/// <summary>A medication as ordered: RxNorm ingredient, ATC class, and the dosage text.</summary>
public sealed record Medication(string Key, Code RxNorm, Code Atc, string DosageEn, string DosageFr, string NameFr);
