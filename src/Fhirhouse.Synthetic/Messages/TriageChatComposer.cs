using System.Globalization;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Simulation;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// Writes the transcript of the emergency department's triage chatbot before a patient's arrival, one turn a line
/// ("Assistant : ..." / "Patient : ...", "Bot: ..." / "Patient: ..."). The bot names each concept in its question
/// (catalog terms); the patient answers "oui", "non pas du tout", "a bit", "idk", sometimes naming it again. A concept
/// asked about takes its assertion from the answer: yes affirmed, no negated, "je ne sais pas" possible.
/// </summary>
internal static class TriageChatComposer
{
    private static readonly string[] s_yesFr = ["oui", "oui depuis hier", "oui depuis ce matin", "un peu", "oui beaucoup", "ouais"];
    private static readonly string[] s_yesEn = ["yes", "yes since this morning", "yeah", "a bit", "yes quite bad", "yep"];
    private static readonly string[] s_noFr = ["non", "non pas du tout", "pas du tout", "nn", "non"];
    private static readonly string[] s_noEn = ["no", "nope", "no not at all", "no"];
    private static readonly string[] s_unsureFr = ["je ne sais pas", "je sais pas", "jsp", "peut-être"];
    private static readonly string[] s_unsureEn = ["idk", "not sure", "i don't know", "maybe"];

    private static readonly Dictionary<string, (string Fr, string TermFr, string En, string TermEn)> s_symptomQuestions = new(StringComparer.Ordinal)
    {
        ["fever"] = ("Avez-vous de la {t} ?", "fièvre", "Do you have a {t}?", "fever"),
        ["cough"] = ("Avez-vous de la {t} ?", "toux", "Do you have a {t}?", "cough"),
        ["dyspnea"] = ("Ressentez-vous un {t} ?", "essoufflement", "Are you experiencing {t}?", "shortness of breath"),
        ["chest-pain"] = ("Avez-vous une {t} ?", "douleur thoracique", "Do you have {t}?", "chest pain"),
        ["headache"] = ("Avez-vous un {t} ?", "mal de tête", "Do you have a {t}?", "headache"),
        ["abdominal-pain"] = ("Avez-vous une {t} ?", "douleur abdominale", "Do you have {t}?", "abdominal pain"),
        ["nausea"] = ("Avez-vous une sensation de {t} ?", "nausée", "Do you have any {t}?", "nausea"),
        ["leg-edema"] = ("Avez-vous remarqué un {t} ?", "œdème des chevilles", "Have you noticed any {t}?", "leg swelling"),
    };

    private static readonly ClinicalConcept[] s_screened = [Concepts.Diabetes2, Concepts.Hypertension, Concepts.Asthma, Concepts.HeartFailure, Concepts.Copd];

    private enum Answer
    {
        Yes,
        No,
        Unsure,
    }

    public static MessageTruth Compose(MessageFacts f, Random rng, string communicationId, string encounterId)
    {
        var fr = f.French;
        var voice = PatientVoice.Draw(rng, fr);
        var b = new MessageBuilder(rng);
        Bot(b, fr, fr
            ? "Bonjour, je suis l'assistant d'orientation des urgences. Décrivez en quelques mots ce qui vous amène."
            : "Hello, I am the emergency department's triage assistant. Please describe in a few words why you are coming in.");

        Patient(b, fr, voice);
        var told = Math.Min(f.Symptoms.Count, rng.Next(1, 3));
        for (var i = 0; i < told; i++)
        {
            var lay = rng.Pick(fr ? LayLexicon.For(f.Symptoms[i]).HaveFr : LayLexicon.For(f.Symptoms[i]).HaveEn);
            b.Text(i == 0 ? string.Empty : fr ? " et " : " and ").Text(lay.Lead).Mention(f.Symptoms[i], lay.Text, Certainty.Affirmed);
        }

        b.Line();

        var questions = new List<(ClinicalConcept Concept, Answer Answer)>();
        questions.AddRange(f.Symptoms.Skip(told).Select(s => (s, Answer.Yes)));
        questions.AddRange(f.DeniedSymptoms.Select(s => (s, rng.Chance(0.15) ? Answer.Unsure : Answer.No)));
        foreach (var (concept, answer) in questions.OrderBy(_ => rng.Next()).ToList())
        {
            SymptomTurn(b, f, rng, voice, concept, answer);
        }

        if (f.KnownChronic.Count > 0 && rng.Chance(0.7))
        {
            var (concept, since) = f.KnownChronic[rng.Next(f.KnownChronic.Count)];
            ChronicQuestion(b, f, rng, concept, Certainty.Affirmed);
            Patient(b, fr, voice).Line(rng.Chance(0.4) ? (fr ? "oui depuis " : "yes since ") + since.ToString(CultureInfo.InvariantCulture) : fr ? "oui" : "yes");
        }

        var screened = s_screened.Where(c => !f.KnownChronic.Any(k => ReferenceEquals(k.Concept, c))).ToList();
        if (screened.Count > 0 && rng.Chance(0.6))
        {
            var concept = rng.Pick(screened);
            var unsure = f.UndiagnosedChronic.Contains(concept) || rng.Chance(0.1);
            ChronicQuestion(b, f, rng, concept, unsure ? Certainty.Possible : Certainty.Negated);
            Patient(b, fr, voice).Line(rng.Pick(unsure ? fr ? s_unsureFr : s_unsureEn : fr ? s_noFr : s_noEn));
        }

        if (f.History.Count > 0 && rng.Chance(0.7))
        {
            var (concept, year) = f.History[rng.Next(f.History.Count)];
            PastQuestion(b, fr, rng, concept, Certainty.Affirmed);
            Patient(b, fr, voice).Line((fr ? "oui en " : "yes in ") + year.ToString(CultureInfo.InvariantCulture));
        }
        else if (rng.Chance(0.5))
        {
            var concept = rng.Chance(0.5) ? Concepts.MyocardialInfarction : Concepts.Stroke;
            if (!f.History.Any(h => ReferenceEquals(h.Concept, concept)))
            {
                PastQuestion(b, fr, rng, concept, Certainty.Negated);
                Patient(b, fr, voice).Line(rng.Pick(fr ? s_noFr : s_noEn));
            }
        }

        if (rng.Chance(0.6))
        {
            FamilyTurn(b, fr, rng, voice, f.FamilyHistory);
        }

        Bot(b, fr, fr
            ? "Merci. Vos réponses sont transmises à l'équipe des urgences. Présentez-vous à l'accueil à votre arrivée."
            : "Thank you. Your answers have been passed to the emergency team. Please go to the front desk when you arrive.");
        return b.Build(communicationId, f.Patient.Id, encounterId, fr ? "fr" : "en", MessageChannel.TriageChatbot);
    }

    private static void SymptomTurn(MessageBuilder b, MessageFacts f, Random rng, PatientVoice voice, ClinicalConcept concept, Answer answer)
    {
        var fr = f.French;
        var certainty = answer switch { Answer.Yes => Certainty.Affirmed, Answer.No => Certainty.Negated, _ => Certainty.Possible };
        if (s_symptomQuestions.TryGetValue(concept.Key, out var q))
        {
            BotSays(b, fr, fr ? q.Fr : q.En, concept, fr ? q.TermFr : q.TermEn, certainty);
        }
        else
        {
            var term = concept.TermsFr[0];
            BotSays(b, fr, fr ? "Avez-vous " + term.UnPrefix + "{t} ?" : "Do you have {t}?", concept, fr ? term.Text : concept.TermsEn[0], certainty);
        }

        Patient(b, fr, voice);
        var words = LayLexicon.For(concept);
        if (answer == Answer.Yes && rng.Chance(0.3))
        {
            var lay = rng.Pick(fr ? words.HaveFr : words.HaveEn);
            b.Text((fr ? "oui " : "yes, ") + lay.Lead).Mention(concept, lay.Text, Certainty.Affirmed).Text(fr ? " depuis hier" : " since yesterday");
        }
        else if (answer == Answer.No && rng.Chance(0.3))
        {
            if (fr)
            {
                var noun = rng.Pick(words.NounsFr);
                b.Text("non pas " + noun.DePrefix).Mention(concept, noun.Text, Certainty.Negated);
            }
            else
            {
                b.Text("no ").Mention(concept, rng.Pick(words.NounsEn).Text, Certainty.Negated);
            }
        }
        else
        {
            b.Text(rng.Pick(answer switch
            {
                Answer.Yes => fr ? s_yesFr : s_yesEn,
                Answer.No => fr ? s_noFr : s_noEn,
                _ => fr ? s_unsureFr : s_unsureEn,
            }));
        }

        b.Line();
    }

    private static void ChronicQuestion(MessageBuilder b, MessageFacts f, Random rng, ClinicalConcept concept, Certainty certainty)
    {
        if (f.French)
        {
            var term = concept.TermsFr[rng.Next(concept.TermsFr.Count)];
            var e = f.Patient.Sex == Sex.Female ? "e" : string.Empty;
            BotSays(b, french: true, $"Êtes-vous suivi{e} pour {term.UnPrefix}{{t}} ?", concept, term.Text, certainty);
        }
        else
        {
            BotSays(b, french: false, "Have you been diagnosed with {t}?", concept, concept.TermsEn[rng.Next(concept.TermsEn.Count)], certainty);
        }
    }

    private static void PastQuestion(MessageBuilder b, bool french, Random rng, ClinicalConcept concept, Certainty certainty)
    {
        if (french)
        {
            var term = concept.TermsFr[rng.Next(concept.TermsFr.Count)];
            BotSays(b, french, $"Avez-vous déjà eu {term.UnPrefix}{{t}} ?", concept, term.Text, certainty, Temporality.Historical);
        }
        else
        {
            BotSays(b, french, "Have you ever had {t}?", concept, concept.TermsEn[rng.Next(concept.TermsEn.Count)], certainty, Temporality.Historical);
        }
    }

    private static void FamilyTurn(MessageBuilder b, bool french, Random rng, PatientVoice voice, IReadOnlyList<FamilyHistoryItem> family)
    {
        var item = family.Count > 0 ? family[rng.Next(family.Count)] : null;
        var concept = item?.Concept ?? rng.Pick(Concepts.FamilyHistory);
        var answer = item is null ? rng.Chance(0.6) ? Answer.No : Answer.Unsure : item.Negated ? Answer.No : Answer.Yes;
        var certainty = answer switch { Answer.Yes => Certainty.Affirmed, Answer.No => Certainty.Negated, _ => Certainty.Possible };
        if (french)
        {
            var term = concept.TermsFr[rng.Next(concept.TermsFr.Count)];
            BotSays(b, french, $"Y a-t-il des antécédents {term.DePrefix}{{t}} dans votre famille ?", concept, term.Text, certainty, Temporality.Current, Experiencer.Family);
        }
        else
        {
            BotSays(b, french, "Any family history of {t}?", concept, concept.TermsEn[rng.Next(concept.TermsEn.Count)], certainty, Temporality.Current, Experiencer.Family);
        }

        Patient(b, french, voice).Line(answer switch
        {
            Answer.Yes => (french ? "oui " : "yes ") + PortalMessageComposer.Relative(item!.Relative, french),
            Answer.No => rng.Pick(french ? s_noFr : s_noEn),
            _ => rng.Pick(french ? s_unsureFr : s_unsureEn),
        });
    }

    private static void Bot(MessageBuilder b, bool french, string text)
    {
        b.Voice = PatientVoice.Careful;
        b.Text(french ? "Assistant : " : "Bot: ").Line(text);
    }

    private static void BotSays(MessageBuilder b, bool french, string template, ClinicalConcept concept, string term, Certainty certainty, Temporality temporality = Temporality.Current, Experiencer experiencer = Experiencer.Patient)
    {
        b.Voice = PatientVoice.Careful;
        b.Text(french ? "Assistant : " : "Bot: ").Say(template, concept, term, certainty, temporality, experiencer).Line();
    }

    /// <summary>Starts a patient turn: the label as the bot writes it, then the patient's own voice.</summary>
    private static MessageBuilder Patient(MessageBuilder b, bool french, PatientVoice voice)
    {
        b.Voice = PatientVoice.Careful;
        b.Text(french ? "Patient : " : "Patient: ");
        b.Voice = voice;
        return b;
    }
}
