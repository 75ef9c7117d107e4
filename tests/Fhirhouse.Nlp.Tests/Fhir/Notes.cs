using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Fhir;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Tests.Fhir;

/// <summary>Real-looking French and English notes, read by the shipped annotator, as the writer's input.</summary>
internal static class Notes
{
    public const string Engine = "engine 1.0; lexicon-en.tsv 2026-12-03; lexicon-fr.tsv 2026-12-03";

    public static readonly DateTimeOffset Fallback = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public const string French =
        "Pas de douleur thoracique. Suspicion d'embolie pulmonaire. ATCD d'IDM en 2019. Mère diabétique. " +
        "TA 150/95 mmHg. HbA1c 7,2 %. Metformine 850 mg 2 fois par jour. Arrêt du ramipril. " +
        "Appendicectomie dans l'enfance. Si fièvre, reconsulter.";

    public const string English =
        "No fever. Possible pneumonia. History of asthma. Father had a myocardial infarction. " +
        "Paracetamol 1 g PRN. Colonoscopy done last week. No appendectomy. Return if chest pain. BP 150/95 mmHg. HbA1c 7.2 %.";

    public const string More =
        "Pas d'antécédent familial de cancer. Paracétamol 1 g si douleur. Pas de metformine. " +
        "Aspirine 75 mg à débuter si douleur thoracique. Glycémie à jeun 1,10 g/L. Pouls 88. Douleur abdominale depuis hier.";

    private static readonly Annotator s_annotator = Annotator.Shipped();

    public static SourceDocument FrenchNote(string text = French, string? subject = "Patient/p1") => new(
        "DocumentReference", "note-fr", subject, "Encounter/e1", new DateTimeOffset(2025, 3, 14, 10, 30, 0, TimeSpan.FromHours(1)),
        "2025-03-14T10:30:00+01:00", "2025-03-14T11:00:00Z", [new SourceText("content[0].attachment", text, "fr-FR")]);

    public static SourceDocument EnglishReport(string text = English) => new(
        "DiagnosticReport", "report-en", "Patient/p2", null, new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
        "2025-06-01", null, [new SourceText("conclusion", text, "en")]);

    public static IReadOnlyList<TextAnnotation> Read(SourceDocument document) =>
        document.Texts.Select(t => new TextAnnotation(t, s_annotator.Read(t.Text, t.Language?.StartsWith("fr", StringComparison.Ordinal) == true ? Language.French : Language.English, document.WrittenYear))).ToList();

    public static NlpFhirOutput Write(SourceDocument document, string engine = Engine) => NlpFhirWriter.Write(document, Read(document), engine, Fallback);
}
