using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The Procedure of a patient's procedure: completed when affirmed (recent or historical), not-done when negated. A
/// possible or hypothetical one, or another person's, makes none. When it was done is not read, so no performed[x].
/// </summary>
internal static class ProcedureJson
{
    public static WrittenResource? Write(SourceContext context, string id, SourceText text, Mention mention)
    {
        if (context.Subject is not { } subject || Status(mention.Assertion) is not { } status)
        {
            return null;
        }

        return FhirJson.Resource("Procedure", id, w =>
        {
            context.Meta(w);
            context.Extension(w, text, mention.Start, mention.End, mention.Assertion.Rules);
            w.WriteString("status", status);
            FhirJson.Concept(w, "code", mention.Concept.Codes, mention.Text);
            FhirJson.Reference(w, "subject", subject);
            if (context.Document.Encounter is { } encounter)
            {
                FhirJson.Reference(w, "encounter", encounter);
            }
        });
    }

    /// <summary>The status of a procedure mention, or null when it makes no Procedure.</summary>
    public static string? Status(MentionAssertion assertion) => assertion switch
    {
        { Experiencer: Experiencer.Other } or { Temporality: Temporality.Hypothetical } or { Negation: Negation.Possible } => null,
        { Negation: Negation.Negated } => "not-done",
        _ => "completed",
    };
}
