using System.Globalization;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Simulation;

namespace Fhirhouse.Synthetic.Notes;

/// <summary>
/// Writes the free-text note of an encounter in French or English, with sections, negations, hypotheses, past history,
/// family history and measurements, and records every concept mention it writes (the ground truth).
/// </summary>
internal static class NoteComposer
{
    private static readonly CultureInfo s_fr = FrenchNumbers();

    private static readonly string[] s_negatedFr = ["Pas {de}{t}.", "Absence {de}{t}.", "{0} ne signale pas {de}{t}.", "Aucun signe {de}{t}.", "Ne rapporte pas {de}{t}."];
    private static readonly string[] s_negatedEn = ["No {t}.", "Denies {t}.", "No evidence of {t}.", "Negative for {t}.", "Patient reports no {t}."];
    private static readonly string[] s_possibleFr = ["Suspicion {de}{t}.", "{T} probable.", "{T} à éliminer.", "Hypothèse diagnostique : {t}.", "Tableau pouvant évoquer {un}{t}, à confirmer."];
    private static readonly string[] s_possibleEn = ["Suspected {t}.", "Rule out {t}.", "Possible {t}.", "Concern for {t}.", "Differential diagnosis includes {t}."];
    private static readonly string[] s_knownFr = ["- {T} depuis {0}.", "- {T} connu{e} depuis {0}, traité{e}.", "- {T} ({0})."];
    private static readonly string[] s_knownEn = ["- {T} since {0}.", "- Known {t} since {0}, on treatment.", "- {T} (diagnosed {0})."];
    private static readonly string[] s_pastFr = ["- Antécédent {de}{t} en {0}, guéri{e}.", "- Hospitalisation pour {un}{t} en {0}.", "- {T} en {0}, résolu{e}."];
    private static readonly string[] s_pastEn = ["- History of {t} in {0}, resolved.", "- Hospitalized for {t} in {0}.", "- {T} in {0}, fully recovered."];
    private static readonly string[] s_diagnosisFr = ["Diagnostic retenu : {t}.", "Au total : {t}.", "Conclusion : {t} confirmé{e}."];
    private static readonly string[] s_diagnosisEn = ["Assessment: {t}.", "Diagnosis: {t}.", "Final diagnosis: {t}, confirmed."];
    private static readonly string[] s_newChronicFr = ["Découverte {de}{t}.", "Diagnostic {de}{t} posé ce jour.", "{T} nouvellement diagnostiqué{e}."];
    private static readonly string[] s_newChronicEn = ["New diagnosis of {t}.", "{T} diagnosed today.", "Newly diagnosed {t}."];
    private static readonly string[] s_symptomFr = ["{0} rapporte {un}{t} depuis {1} jours.", "Présente {un}{t} depuis {1} jours.", "Plainte principale : {t} évoluant depuis {1} jours."];
    private static readonly string[] s_symptomEn = ["Reports {t} for {1} days.", "Complains of {t} for the past {1} days.", "Chief complaint: {t}, {1} days."];

    private static readonly string[] s_examFr =
    [
        "Auscultation cardiaque : bruits du cœur réguliers, pas de souffle.", "Auscultation pulmonaire : murmure vésiculaire symétrique.",
        "Abdomen souple, dépressible, indolore.", "Mollets souples, indolores.", "Examen neurologique sans déficit focal.",
        "Conscience normale, orientation temporo-spatiale conservée.", "Pas d'adénopathie palpable.", "Peau et muqueuses normalement colorées.",
    ];

    private static readonly string[] s_examEn =
    [
        "Heart sounds regular, no murmur.", "Lungs clear to auscultation bilaterally.", "Abdomen soft, non-tender, non-distended.",
        "Calves soft and non-tender.", "No focal neurological deficit.", "Alert and oriented.", "No palpable lymph nodes.",
        "Skin warm and well perfused.",
    ];

    private static readonly string[] s_followUpFr = ["Revoir en consultation dans 3 mois.", "Contrôle biologique dans 6 semaines.", "Suivi par le médecin traitant.", "Consignes de reconsultation expliquées."];
    private static readonly string[] s_followUpEn = ["Follow-up in clinic in 3 months.", "Repeat bloods in 6 weeks.", "Follow-up with primary care physician.", "Return precautions discussed."];

    public static NoteTruth Compose(EncounterFacts f, Random rng, string documentReferenceId, string encounterId) =>
        f.Patient.French ? ComposeFrench(f, rng, documentReferenceId, encounterId) : ComposeEnglish(f, rng, documentReferenceId, encounterId);

    /// <summary>The LOINC document type for a note written at an encounter of this class.</summary>
    public static Code DocumentType(EncounterClass encounterClass) => encounterClass switch
    {
        EncounterClass.Emergency => new Code(Code.Loinc, "34111-5", "Emergency department Note"),
        EncounterClass.Inpatient => new Code(Code.Loinc, "18842-5", "Discharge summary"),
        _ => new Code(Code.Loinc, "11506-3", "Progress note"),
    };

    private static NoteTruth ComposeFrench(EncounterFacts f, Random rng, string documentReferenceId, string encounterId)
    {
        var b = new NoteBuilder();
        var p = f.Patient;
        var female = p.Sex == Sex.Female;
        var subject = female ? "La patiente" : "Le patient";
        var age = p.AgeAt(DateOnly.FromDateTime(f.Start));
        b.Line(f.Class switch
        {
            EncounterClass.Emergency => "COMPTE RENDU DE PASSAGE AUX URGENCES",
            EncounterClass.Inpatient => "COMPTE RENDU D'HOSPITALISATION",
            _ => "COMPTE RENDU DE CONSULTATION",
        });
        b.Line($"Date : {f.Start.ToString("dd/MM/yyyy", s_fr)}");
        b.Line($"{(female ? "Mme" : "M.")} {p.Given} {p.Family.ToUpperInvariant()}, {age} ans, né{(female ? "e" : string.Empty)} le {p.BirthDate.ToString("dd/MM/yyyy", s_fr)}.");
        b.Line();

        b.Text("Motif : ");
        if (f.Symptoms.Count > 0)
        {
            Say(b, rng, french: true, s_symptomFr, f.Symptoms[0], Certainty.Affirmed, subject, rng.Next(2, 8).ToString(s_fr));
            b.Line();
        }
        else if (f.KnownChronic.Count > 0)
        {
            var (c, _) = f.KnownChronic[rng.Next(f.KnownChronic.Count)];
            b.Say("suivi {de}{t}.", c, Fr(c, rng), Certainty.Affirmed).Line();
        }
        else
        {
            b.Line("bilan de santé annuel.");
        }

        b.Line().Line("ANTÉCÉDENTS");
        if (f.KnownChronic.Count == 0 && f.PastEpisodes.Count == 0)
        {
            b.Line("Pas d'antécédent notable.");
        }

        foreach (var (c, since) in f.KnownChronic)
        {
            Say(b, rng, french: true, s_knownFr, c, Certainty.Affirmed, since.ToString(s_fr)).Line();
        }

        foreach (var (c, year) in f.PastEpisodes)
        {
            Say(b, rng, french: true, s_pastFr, c, Certainty.Affirmed, year.ToString(s_fr), Temporality.Historical).Line();
        }

        b.Text("Antécédents familiaux :");
        if (f.FamilyHistory.Count == 0)
        {
            b.Line(" non contributifs.");
        }
        else
        {
            b.Line();
            foreach (var h in f.FamilyHistory)
            {
                FamilyFr(b, rng, h);
                b.Line();
            }
        }

        b.Text("Traitement habituel : ");
        b.Line(f.HomeMedications.Count == 0 ? "aucun." : string.Join(", ", f.HomeMedications.Select(m => $"{m.NameFr} {m.DosageFr}")) + ".");

        b.Line().Line("HISTOIRE DE LA MALADIE");
        for (var i = 1; i < f.Symptoms.Count; i++)
        {
            b.Say("Par ailleurs, {un}{t} est rapporté{e}. ", f.Symptoms[i], Fr(f.Symptoms[i], rng), Certainty.Affirmed);
        }

        foreach (var s in f.DeniedSymptoms)
        {
            Say(b, rng, french: true, s_negatedFr, s, Certainty.Negated, subject).Text(" ");
        }

        b.Line();

        b.Line().Line("EXAMEN CLINIQUE");
        b.Line(VitalsFr(f.Vitals));
        foreach (var line in Pick(rng, s_examFr, rng.Next(2, 5)))
        {
            b.Text(line).Text(" ");
        }

        b.Line();
        if (f.Labs.Count > 0)
        {
            b.Line().Line("EXAMENS COMPLÉMENTAIRES");
            b.Line("Biologie : " + string.Join(", ", f.Labs.Select(m => $"{m.Test.NoteLabelFr} {Number(m, s_fr)} {UnitText(m.Test)}")) + ".");
        }

        b.Line().Line("CONCLUSION");
        foreach (var d in f.Differentials)
        {
            Say(b, rng, french: true, s_possibleFr, d, Certainty.Possible).Text(" ");
        }

        if (f.Diagnosis is { } dx)
        {
            Say(b, rng, french: true, s_diagnosisFr, dx, Certainty.Affirmed).Text(" ");
        }

        foreach (var c in f.NewChronic)
        {
            Say(b, rng, french: true, s_newChronicFr, c, Certainty.Affirmed).Text(" ");
        }

        if (f.Diagnosis is null && f.NewChronic.Count == 0 && f.Differentials.Count == 0)
        {
            b.Text("Examen rassurant, état stable. ");
        }

        b.Line();
        b.Line().Line("CONDUITE À TENIR");
        if (f.NewMedications.Count > 0)
        {
            b.Line("Introduction : " + string.Join(", ", f.NewMedications.Select(m => $"{m.NameFr} {m.DosageFr}")) + ".");
        }

        b.Line(s_followUpFr[rng.Next(s_followUpFr.Length)]);
        return b.Build(documentReferenceId, p.Id, encounterId, "fr");
    }

    private static NoteTruth ComposeEnglish(EncounterFacts f, Random rng, string documentReferenceId, string encounterId)
    {
        var b = new NoteBuilder();
        var p = f.Patient;
        var female = p.Sex == Sex.Female;
        var age = p.AgeAt(DateOnly.FromDateTime(f.Start));
        b.Line(f.Class switch
        {
            EncounterClass.Emergency => "EMERGENCY DEPARTMENT NOTE",
            EncounterClass.Inpatient => "DISCHARGE SUMMARY",
            _ => "CLINIC PROGRESS NOTE",
        });
        b.Line($"Date: {f.Start.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");
        b.Line($"{(female ? "Mrs" : "Mr")} {p.Given} {p.Family}, {age}-year-old {(female ? "woman" : "man")}, DOB {p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.");
        b.Line();

        b.Text("Reason for visit: ");
        if (f.Symptoms.Count > 0)
        {
            Say(b, rng, french: false, s_symptomEn, f.Symptoms[0], Certainty.Affirmed, string.Empty, rng.Next(2, 8).ToString(CultureInfo.InvariantCulture));
            b.Line();
        }
        else if (f.KnownChronic.Count > 0)
        {
            var (c, _) = f.KnownChronic[rng.Next(f.KnownChronic.Count)];
            b.Say("follow-up of {t}.", c, En(c, rng), Certainty.Affirmed).Line();
        }
        else
        {
            b.Line("annual health check.");
        }

        b.Line().Line("PAST MEDICAL HISTORY");
        if (f.KnownChronic.Count == 0 && f.PastEpisodes.Count == 0)
        {
            b.Line("No significant past medical history.");
        }

        foreach (var (c, since) in f.KnownChronic)
        {
            Say(b, rng, french: false, s_knownEn, c, Certainty.Affirmed, since.ToString(CultureInfo.InvariantCulture)).Line();
        }

        foreach (var (c, year) in f.PastEpisodes)
        {
            Say(b, rng, french: false, s_pastEn, c, Certainty.Affirmed, year.ToString(CultureInfo.InvariantCulture), Temporality.Historical).Line();
        }

        b.Text("Family history:");
        if (f.FamilyHistory.Count == 0)
        {
            b.Line(" non-contributory.");
        }
        else
        {
            b.Line();
            foreach (var h in f.FamilyHistory)
            {
                FamilyEn(b, rng, h);
                b.Line();
            }
        }

        b.Text("Current medications: ");
        b.Line(f.HomeMedications.Count == 0 ? "none." : string.Join(", ", f.HomeMedications.Select(m => $"{m.RxNorm.Display} {m.DosageEn}")) + ".");

        b.Line().Line("HISTORY OF PRESENT ILLNESS");
        for (var i = 1; i < f.Symptoms.Count; i++)
        {
            b.Say("Associated with {t}. ", f.Symptoms[i], En(f.Symptoms[i], rng), Certainty.Affirmed);
        }

        foreach (var s in f.DeniedSymptoms)
        {
            Say(b, rng, french: false, s_negatedEn, s, Certainty.Negated, string.Empty).Text(" ");
        }

        b.Line();

        b.Line().Line("PHYSICAL EXAMINATION");
        b.Line(VitalsEn(f.Vitals));
        foreach (var line in Pick(rng, s_examEn, rng.Next(2, 5)))
        {
            b.Text(line).Text(" ");
        }

        b.Line();
        if (f.Labs.Count > 0)
        {
            b.Line().Line("RESULTS");
            b.Line("Labs: " + string.Join(", ", f.Labs.Select(m => $"{m.Test.NoteLabelEn} {Number(m, CultureInfo.InvariantCulture)} {UnitText(m.Test)}")) + ".");
        }

        b.Line().Line("ASSESSMENT AND PLAN");
        foreach (var d in f.Differentials)
        {
            Say(b, rng, french: false, s_possibleEn, d, Certainty.Possible).Text(" ");
        }

        if (f.Diagnosis is { } dx)
        {
            Say(b, rng, french: false, s_diagnosisEn, dx, Certainty.Affirmed).Text(" ");
        }

        foreach (var c in f.NewChronic)
        {
            Say(b, rng, french: false, s_newChronicEn, c, Certainty.Affirmed).Text(" ");
        }

        if (f.Diagnosis is null && f.NewChronic.Count == 0 && f.Differentials.Count == 0)
        {
            b.Text("Reassuring examination, stable. ");
        }

        b.Line();
        if (f.NewMedications.Count > 0)
        {
            b.Line("Started: " + string.Join(", ", f.NewMedications.Select(m => $"{m.RxNorm.Display} {m.DosageEn}")) + ".");
        }

        b.Line(s_followUpEn[rng.Next(s_followUpEn.Length)]);
        return b.Build(documentReferenceId, p.Id, encounterId, "en");
    }

    private static void FamilyFr(NoteBuilder b, Random rng, FamilyHistoryItem h)
    {
        var c = h.Concept;
        var r = h.Relative;
        if (h.Negated)
        {
            b.Say("- Pas d'antécédent familial {de}{t}.", c, Fr(c, rng), Certainty.Negated, Temporality.Current, Experiencer.Family);
            return;
        }

        var adjective = r.FrenchFeminine ? c.FamilyAdjectiveFrFeminine : c.FamilyAdjectiveFrMasculine;
        if (adjective is not null && rng.Next(2) == 0)
        {
            b.Say("- {0} {a}.", c, default, Certainty.Affirmed, Temporality.Current, Experiencer.Family, NoteBuilder.Capitalise(r.French), adjective);
            return;
        }

        var article = r.FrenchFeminine ? "la " : "le ";
        var template = rng.Next(3) switch
        {
            0 => "- {0} : {t}.",
            1 => "- {T} chez {1}.",
            _ => "- {0} suivi" + (r.FrenchFeminine ? "e" : string.Empty) + " pour {un}{t}.",
        };
        b.Say(template, c, Fr(c, rng), Certainty.Affirmed, Temporality.Current, Experiencer.Family, NoteBuilder.Capitalise(r.French), article + r.French);
    }

    private static void FamilyEn(NoteBuilder b, Random rng, FamilyHistoryItem h)
    {
        var c = h.Concept;
        var r = h.Relative;
        if (h.Negated)
        {
            b.Say("- No family history of {t}.", c, En(c, rng), Certainty.Negated, Temporality.Current, Experiencer.Family);
            return;
        }

        if (c.FamilyAdjectiveEn is { } adjective && rng.Next(2) == 0)
        {
            b.Say("- {A} {0}.", c, default, Certainty.Affirmed, Temporality.Current, Experiencer.Family, r.English, adjective);
            return;
        }

        var template = rng.Next(3) switch
        {
            0 => "- {0} with {t}.",
            1 => "- Family history of {t} ({1}).",
            _ => "- {0} diagnosed with {t}.",
        };
        b.Say(template, c, En(c, rng), Certainty.Affirmed, Temporality.Current, Experiencer.Family, NoteBuilder.Capitalise(r.English), r.English);
    }

    private static NoteBuilder Say(NoteBuilder b, Random rng, bool french, string[] templates, ClinicalConcept c, Certainty certainty, string arg0 = "", string arg1 = "", Temporality temporality = Temporality.Current)
    {
        var term = french ? Fr(c, rng) : En(c, rng);
        return b.Say(templates[rng.Next(templates.Length)], c, term, certainty, temporality, Experiencer.Patient, arg0, arg1);
    }

    private static NoteBuilder Say(NoteBuilder b, Random rng, bool french, string[] templates, ClinicalConcept c, Certainty certainty, string arg0, Temporality temporality) =>
        Say(b, rng, french, templates, c, certainty, arg0, string.Empty, temporality);

    /// <summary>Invariant culture with a decimal comma: "37,2" (the app runs with invariant globalization).</summary>
    private static CultureInfo FrenchNumbers()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        return CultureInfo.ReadOnly(culture);
    }

    private static Term Fr(ClinicalConcept c, Random rng) => c.TermsFr[rng.Next(c.TermsFr.Count)];

    private static Term En(ClinicalConcept c, Random rng) => new(c.TermsEn[rng.Next(c.TermsEn.Count)], Feminine: false);

    private static IEnumerable<string> Pick(Random rng, string[] items, int count)
    {
        var start = rng.Next(items.Length);
        for (var i = 0; i < count; i++)
        {
            yield return items[(start + i) % items.Length];
        }
    }

    private static string Number(Measurement m, CultureInfo culture) =>
        m.Value.ToString("F" + m.Test.Decimals.ToString(CultureInfo.InvariantCulture), culture);

    private static string UnitText(LabTest test) => test.Unit switch
    {
        "mm[Hg]" => "mmHg",
        "Cel" => "°C",
        "10*3/uL" => "G/L",
        "m[IU]/L" => "mUI/L",
        "mL/min/{1.73_m2}" => "mL/min/1,73m²",
        "kg/m2" => "kg/m²",
        _ => test.Unit,
    };

    private static string VitalsFr(IReadOnlyList<Measurement> vitals) => string.Join(", ", VitalParts(vitals, s_fr, french: true)) + ".";

    private static string VitalsEn(IReadOnlyList<Measurement> vitals) => string.Join(", ", VitalParts(vitals, CultureInfo.InvariantCulture, french: false)) + ".";

    private static IEnumerable<string> VitalParts(IReadOnlyList<Measurement> vitals, CultureInfo culture, bool french)
    {
        Measurement? systolic = null;
        foreach (var m in vitals)
        {
            if (ReferenceEquals(m.Test, Labs.Systolic))
            {
                systolic = m;
                continue;
            }

            if (ReferenceEquals(m.Test, Labs.Diastolic) && systolic is not null)
            {
                yield return $"{(french ? "TA" : "BP")} {Number(systolic, culture)}/{Number(m, culture)} mmHg";
                continue;
            }

            var label = french ? m.Test.NoteLabelFr : m.Test.NoteLabelEn;
            var unit = ReferenceEquals(m.Test, Labs.HeartRate) && !french ? "bpm" : UnitText(m.Test);
            yield return m.Test.Unit == "%" ? $"{label} {Number(m, culture)} %" : $"{label} {Number(m, culture)} {unit}";
        }
    }
}
