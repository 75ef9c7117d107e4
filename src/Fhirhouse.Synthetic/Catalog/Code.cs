namespace Fhirhouse.Synthetic.Catalog;

/// <summary>A coded value: code system URI, code, display.</summary>
public sealed record Code(string System, string Value, string Display)
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Loinc = "http://loinc.org";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Atc = "http://www.whocc.no/atc";
    public const string Ucum = "http://unitsofmeasure.org";
}
