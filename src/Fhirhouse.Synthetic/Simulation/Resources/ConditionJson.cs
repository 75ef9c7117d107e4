using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>
/// The Condition resource: clinical and verification status, problem-list item or encounter diagnosis, coded in ICD-10
/// with SNOMED CT, or in SNOMED CT only once the coding practice has changed (hypertension then as essential hypertension).
/// </summary>
internal static class ConditionJson
{
    private const string ClinicalStatus = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string VerificationStatus = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    private const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    private static readonly Code EssentialHypertension = new(Code.Snomed, "59621000", "Essential hypertension");

    public static void Write(
        ResourceWriter r, string id, string encounterId, ClinicalConcept c, DateTime onset, DateTime recorded, DateTime? abatement,
        bool problemList, bool snomedOnly)
    {
        var w = r.Begin("Condition", id, recorded);
        var status = abatement is null ? "active" : "resolved";
        FhirJson.Concept(w, "clinicalStatus", null, new Code(ClinicalStatus, status, status == "active" ? "Active" : "Resolved"));
        FhirJson.Concept(w, "verificationStatus", null, new Code(VerificationStatus, "confirmed", "Confirmed"));
        FhirJson.ConceptList(w, "category", problemList
            ? new Code(ConditionCategory, "problem-list-item", "Problem List Item")
            : new Code(ConditionCategory, "encounter-diagnosis", "Encounter Diagnosis"));
        var snomed = snomedOnly && c == Concepts.Hypertension ? EssentialHypertension : c.Snomed;
        if (snomedOnly)
        {
            FhirJson.Concept(w, "code", snomed.Display, snomed);
        }
        else
        {
            FhirJson.Concept(w, "code", c.Icd10.Display, c.Icd10, snomed);
        }

        r.PatientReference(w, "subject");
        r.EncounterReference(w, encounterId);
        w.WriteString("onsetDateTime", r.Time(onset));
        if (abatement is { } a)
        {
            w.WriteString("abatementDateTime", r.Time(a));
        }

        w.WriteString("recordedDate", r.Time(recorded));
        r.End();
    }
}
