using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The FamilyMemberHistory of another person's condition: completed, the patient's, the relative named (v3 RoleCode,
/// FAMMEMB when none is), the condition. Only an affirmed, not hypothetical mention makes one: R4 cannot say on
/// <c>FamilyMemberHistory.condition</c> that a condition is absent or uncertain, and a reader takes every condition
/// listed as present, so "no family history of diabetes" and "mother possibly diabetic" make none.
/// </summary>
internal static class FamilyMemberHistoryJson
{
    public static WrittenResource? Write(SourceContext context, string id, SourceText text, Mention mention)
    {
        if (context.Subject is not { } subject || mention.Assertion.Negation != Negation.Affirmed || mention.Assertion.Temporality == Temporality.Hypothetical)
        {
            return null;
        }

        var relative = mention.Relative ?? Relatives.FamilyMember;
        return FhirJson.Resource("FamilyMemberHistory", id, w =>
        {
            context.Meta(w);
            context.Extension(w, text, mention.Start, mention.End, mention.Assertion.Rules);
            w.WriteString("status", "completed");
            FhirJson.Reference(w, "patient", subject);
            FhirJson.String(w, "date", context.Written);
            FhirJson.Concept(w, "relationship", Relatives.System, relative.Code, relative.Display);
            w.WriteStartArray("condition");
            w.WriteStartObject();
            FhirJson.Concept(w, "code", mention.Concept.Codes, mention.Text);
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }
}
