using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The Condition of a patient's condition, symptom or finding: its verification from the negation (affirmed confirmed,
/// negated refuted, possible unconfirmed), its clinical status from the temporality (recent active, historical
/// inactive; none when refuted), category encounter-diagnosis with an encounter, else problem-list-item (none for a
/// refuted one: R4's con-3 asks a clinical status of a problem-list item). A hypothetical mention makes none.
/// </summary>
internal static class ConditionJson
{
    public const string VerificationSystem = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string ClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string CategorySystem = "http://terminology.hl7.org/CodeSystem/condition-category";

    public static WrittenResource? Write(SourceContext context, string id, SourceText text, Mention mention)
    {
        if (context.Subject is not { } subject || mention.Assertion.Temporality == Temporality.Hypothetical)
        {
            return null;
        }

        var (verification, verificationDisplay) = Verification(mention.Assertion.Negation);
        var clinical = Clinical(mention.Assertion);
        return FhirJson.Resource("Condition", id, w =>
        {
            context.Meta(w);
            context.Extension(w, text, mention.Start, mention.End, mention.Assertion.Rules);
            if (clinical is var (clinicalCode, clinicalDisplay))
            {
                FhirJson.Concept(w, "clinicalStatus", ClinicalSystem, clinicalCode, clinicalDisplay);
            }

            FhirJson.Concept(w, "verificationStatus", VerificationSystem, verification, verificationDisplay);
            if (context.Document.Encounter is not null)
            {
                FhirJson.ConceptList(w, "category", CategorySystem, "encounter-diagnosis", "Encounter Diagnosis");
            }
            else if (clinical is not null)
            {
                FhirJson.ConceptList(w, "category", CategorySystem, "problem-list-item", "Problem List Item");
            }

            FhirJson.Concept(w, "code", mention.Concept.Codes, mention.Text);
            FhirJson.Reference(w, "subject", subject);
            if (context.Document.Encounter is { } encounter)
            {
                FhirJson.Reference(w, "encounter", encounter);
            }

            FhirJson.String(w, "recordedDate", context.Written);
        });
    }

    /// <summary>The verificationStatus code and display of a negation.</summary>
    public static (string Code, string Display) Verification(Negation negation) => negation switch
    {
        Negation.Negated => ("refuted", "Refuted"),
        Negation.Possible => ("unconfirmed", "Unconfirmed"),
        _ => ("confirmed", "Confirmed"),
    };

    /// <summary>The clinicalStatus code and display of an assertion; null for a refuted condition.</summary>
    public static (string Code, string Display)? Clinical(MentionAssertion assertion) =>
        assertion.Negation == Negation.Negated ? null
        : assertion.Temporality == Temporality.Historical ? ("inactive", "Inactive")
        : ("active", "Active");
}
