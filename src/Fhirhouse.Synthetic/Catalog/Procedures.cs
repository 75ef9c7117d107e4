namespace Fhirhouse.Synthetic.Catalog;

/// <summary>Procedures (SNOMED CT) and the concepts that call for them.</summary>
public static class Procedures
{
    public static readonly Code Electrocardiogram = new(Code.Snomed, "29303009", "Electrocardiographic procedure");
    public static readonly Code ChestXray = new(Code.Snomed, "399208008", "Plain X-ray of chest");
    public static readonly Code Appendectomy = new(Code.Snomed, "80146002", "Excision of appendix");
    public static readonly Code CoronaryAngioplasty = new(Code.Snomed, "415070008", "Percutaneous coronary intervention");
    public static readonly Code Spirometry = new(Code.Snomed, "127783003", "Spirometry");
    public static readonly Code Echocardiography = new(Code.Snomed, "40701008", "Echocardiography");

    /// <summary>Procedures done at the encounter where the concept is diagnosed or followed.</summary>
    public static IReadOnlyList<Code> For(ClinicalConcept concept) => concept.Key switch
    {
        "pneumonia" or "covid-19" => [ChestXray],
        "myocardial-infarction" => [Electrocardiogram, CoronaryAngioplasty],
        "atrial-fibrillation" => [Electrocardiogram],
        "heart-failure" => [Echocardiography],
        "copd" or "asthma" => [Spirometry],
        "appendicitis" => [Appendectomy],
        "stroke" => [Electrocardiogram],
        _ => [],
    };
}
