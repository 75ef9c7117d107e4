using System.Globalization;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Simulation;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// Writes a patient-portal message as a patient types it (first person, informal, abbreviations, sometimes all
/// lowercase, without accents or with a typo) about their symptoms, what they fear, their chronic conditions, past
/// episodes and family, in French or English; and the care team's reply. Records every concept mention.
/// </summary>
internal static class PortalMessageComposer
{
    private static readonly string[] s_weekdaysFr = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
    private static readonly string[] s_weekdaysEn = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly string[] s_greetingsFr = ["Bonjour docteur, ", "Bonjour, ", "bjr docteur, ", "Bonsoir, ", "Bonjour Dr, ", "bjr, "];
    private static readonly string[] s_greetingsEn = ["hi, ", "hello doctor, ", "hi dr, ", "Hello, ", "hey, ", "Dear doctor, "];
    private static readonly string[] s_worryFr = ["Est-ce que ça pourrait être {un}{t} ?", "J'ai peur que ce soit {un}{t}.", "C'est peut-être {un}{t} ?", "Vous pensez que ça peut être {un}{t} ?"];
    private static readonly string[] s_worryEn = ["could it be {a}{t}?", "is it possible it's {a}{t}?", "i'm worried it might be {a}{t}.", "idk if it's {a}{t}?"];
    private static readonly string[] s_askFr = ["Est-ce que je dois m'inquiéter ?", "Je dois venir aux urgences ou pas ?", "Est-ce que je peux prendre du paracétamol ?", "Rappelez-moi svp pcq je m'inquiète un peu."];
    private static readonly string[] s_askEn = ["should i be worried?", "do i need to come in?", "can i take paracetamol for it?", "pls let me know, idk what to do."];
    private static readonly string[] s_chronicAskFr = ["est-ce que je dois refaire une prise de sang ?", "est-ce que je peux arrêter mon traitement ?", "j'ai oublié mon traitement 2 jours, c'est grave ?", "je voudrais renouveler mon ordonnance svp."];
    private static readonly string[] s_chronicAskEn = ["idk if i need another blood test?", "can i stop my meds?", "i forgot my tablets for 2 days, is that bad?", "can i get a repeat prescription pls?"];
    private static readonly string[] s_signOffFr = ["Merci d'avance.", "Merci", "mci", "Cordialement.", "Bonne journée"];
    private static readonly string[] s_signOffEn = ["thanks", "thx", "many thanks", "cheers", "Thank you"];
    private static readonly string[] s_adviceFr = ["je vous propose de venir en consultation cette semaine.", "merci de prendre rendez-vous avec le secrétariat.", "si cela s'aggrave, appelez le 15 ou venez aux urgences.", "vous pouvez continuer votre traitement habituel, nous en reparlerons à la prochaine consultation."];
    private static readonly string[] s_adviceEn = ["please book an appointment this week.", "please call the clinic to arrange a visit.", "if things get worse, call 999 or come to the emergency department.", "please carry on with your usual treatment and we will review it at your next appointment."];

    /// <summary>The patient's message.</summary>
    public static MessageTruth Compose(MessageFacts f, Random rng, string communicationId)
    {
        var fr = f.French;
        var b = new MessageBuilder(rng) { Voice = PatientVoice.Draw(rng, fr) };
        b.Text(rng.Pick(fr ? s_greetingsFr : s_greetingsEn));
        var chronic = f.KnownChronic.Where(k => !ReferenceEquals(k.Concept, Concepts.Obesity)).ToList();
        if ((f.Symptoms.Count > 0 || chronic.Count > 0) && rng.Chance(0.3))
        {
            b.Text(fr ? "je vous écris pcq " : "writing bc ");
        }

        if (f.Symptoms.Count > 0)
        {
            Symptoms(b, f, rng);
        }
        else if (chronic.Count > 0)
        {
            Chronic(b, f, rng, rng.Pick(chronic));
        }
        else
        {
            b.Text(fr ? "tout va bien depuis la dernière fois. " : "all good since last time. ");
        }

        if (f.Symptoms.Count == 0 && f.DeniedSymptoms.Count > 0 && (chronic.Count == 0 || rng.Chance(0.5)))
        {
            var noun = rng.Pick(LayLexicon.For(f.DeniedSymptoms[0]).NounsFr);
            var en = rng.Pick(LayLexicon.For(f.DeniedSymptoms[0]).NounsEn);
            b.Say(fr ? "pas " + noun.DePrefix + "{t} ni rien. " : "no {t} or anything. ", f.DeniedSymptoms[0], fr ? noun.Text : en.Text, Certainty.Negated);
        }

        if (f.History.Count > 0 && rng.Chance(0.6))
        {
            History(b, f, rng);
        }

        if (f.FamilyHistory.Count > 0 && rng.Chance(0.6))
        {
            Family(b, f, rng, rng.Pick(f.FamilyHistory));
        }

        if (f.Worries.Count > 0 && rng.Chance(0.75))
        {
            var worry = rng.Pick(f.Worries);
            if (fr)
            {
                var noun = rng.Pick(LayLexicon.For(worry).NounsFr);
                b.Say(rng.Pick(s_worryFr).Replace("{un}", noun.UnPrefix, StringComparison.Ordinal) + " ", worry, noun.Text, Certainty.Possible);
            }
            else
            {
                var noun = rng.Pick(LayLexicon.For(worry).NounsEn);
                b.Say(rng.Pick(s_worryEn).Replace("{a}", noun.Lead, StringComparison.Ordinal) + " ", worry, noun.Text, Certainty.Possible);
            }
        }

        if (f.Symptoms.Count > 0)
        {
            b.Text(rng.Pick(fr ? s_askFr : s_askEn) + " ");
        }
        else if (chronic.Count == 0)
        {
            b.Text(fr ? "je voulais juste savoir si je dois reprendre rendez-vous. " : "idk if i should book a check-up? ");
        }

        b.Text(rng.Pick(fr ? s_signOffFr : s_signOffEn));
        return b.Build(communicationId, f.Patient.Id, encounterId: null, fr ? "fr" : "en", MessageChannel.PatientPortal);
    }

    /// <summary>The care team's reply: thanks, maybe the fear taken seriously ("une grippe n'est pas exclue"), advice.</summary>
    public static MessageTruth ComposeReply(MessageFacts f, Random rng, string communicationId)
    {
        var fr = f.French;
        var b = new MessageBuilder(rng);
        b.Text(fr ? "Bonjour, merci pour votre message. " : "Hello, thank you for your message. ");
        var advice = rng.Pick(fr ? s_adviceFr : s_adviceEn);
        if (f.Worries.Count > 0 && rng.Chance(0.6))
        {
            var worry = rng.Pick(f.Worries);
            if (fr)
            {
                var term = worry.TermsFr[rng.Next(worry.TermsFr.Count)];
                b.Say(NoteBuilder.Capitalise(term.UnPrefix) + "{t} n'est pas exclu" + term.E + ", ", worry, term.Text, Certainty.Possible);
            }
            else
            {
                b.Say("We cannot rule out {t}, so ", worry, worry.TermsEn[rng.Next(worry.TermsEn.Count)], Certainty.Possible);
            }

            b.Line(advice);
        }
        else
        {
            b.Line(NoteBuilder.Capitalise(advice));
        }

        b.Line().Line(fr ? "Bien cordialement," : "Kind regards,").Text(fr ? "L'équipe soignante" : "The care team");
        return b.Build(communicationId, f.Patient.Id, encounterId: null, fr ? "fr" : "en", MessageChannel.PatientPortal);
    }

    private static void Symptoms(MessageBuilder b, MessageFacts f, Random rng)
    {
        var fr = f.French;
        var days = (f.Sent.Date - f.Onset.Date).Days;
        var weekday = (int)f.Onset.DayOfWeek;
        b.Text(days switch
        {
            <= 0 => fr ? "depuis ce matin " : "since this morning ",
            1 => fr ? "depuis hier " : "since yesterday ",
            _ when rng.Chance(0.5) => fr ? $"depuis {s_weekdaysFr[weekday]} " : $"since {s_weekdaysEn[weekday]} ",
            _ => fr ? $"depuis {days} jours " : $"for {days} days ",
        });
        for (var i = 0; i < f.Symptoms.Count; i++)
        {
            if (i > 0)
            {
                b.Text(i == f.Symptoms.Count - 1 ? fr ? " et " : " and " : ", ");
            }

            var words = LayLexicon.For(f.Symptoms[i]);
            var lay = rng.Pick(fr ? words.HaveFr : words.HaveEn);
            b.Text(lay.Lead).Mention(f.Symptoms[i], lay.Text, Certainty.Affirmed);
            if (rng.Chance(0.25))
            {
                b.Text(fr ? rng.Pick(new[] { " beaucoup", " un peu", " pas mal" }) : rng.Pick(new[] { " a lot", " a bit", " pretty bad" }));
            }
        }

        if (f.DeniedSymptoms.Count > 0 && rng.Chance(0.75))
        {
            var denied = f.DeniedSymptoms[rng.Next(f.DeniedSymptoms.Count)];
            var words = LayLexicon.For(denied);
            if (fr)
            {
                var noun = rng.Pick(words.NounsFr);
                b.Text(", pas " + noun.DePrefix).Mention(denied, noun.Text, Certainty.Negated);
            }
            else
            {
                b.Text(", no ").Mention(denied, rng.Pick(words.NounsEn).Text, Certainty.Negated);
            }
        }

        b.Text(". ");
    }

    private static void Chronic(MessageBuilder b, MessageFacts f, Random rng, (ClinicalConcept Concept, int SinceYear) known)
    {
        var fr = f.French;
        var (concept, since) = known;
        var words = LayLexicon.For(concept);
        var year = since.ToString(CultureInfo.InvariantCulture);
        if (fr)
        {
            var lay = rng.Pick(words.HaveFr);
            b.Text(lay.Lead).Mention(concept, lay.Text, Certainty.Affirmed).Text(since >= f.Sent.Year ? " depuis cette année, " : $" depuis {year}, ");
            b.Text(rng.Pick(s_chronicAskFr) + " ");
        }
        else
        {
            var noun = rng.Pick(words.NounsEn);
            b.Text("i've had " + noun.Lead).Mention(concept, noun.Text, Certainty.Affirmed).Text(since >= f.Sent.Year ? " since earlier this year, " : $" since {year}, ");
            b.Text(rng.Pick(s_chronicAskEn) + " ");
        }
    }

    private static void History(MessageBuilder b, MessageFacts f, Random rng)
    {
        var fr = f.French;
        var (concept, year) = f.History[rng.Next(f.History.Count)];
        var ago = f.Sent.Year - year;
        var words = LayLexicon.For(concept);
        string when = ago switch
        {
            <= 0 => fr ? " cette année" : " earlier this year",
            1 => fr ? " l'année dernière" : " last year",
            _ when rng.Chance(0.5) => fr ? $" il y a {ago} ans" : $" {ago} years ago",
            _ => fr ? $" en {year.ToString(CultureInfo.InvariantCulture)}" : $" back in {year.ToString(CultureInfo.InvariantCulture)}",
        };
        if (fr)
        {
            var noun = rng.Pick(words.NounsFr);
            b.Text(rng.Pick(new[] { "J'ai déjà eu ", "J'ai eu " }) + noun.UnPrefix).Mention(concept, noun.Text, Certainty.Affirmed, Temporality.Historical).Text(when + ". ");
        }
        else
        {
            var noun = rng.Pick(words.NounsEn);
            b.Text(rng.Pick(new[] { "i had ", "i already had " }) + noun.Lead).Mention(concept, noun.Text, Certainty.Affirmed, Temporality.Historical).Text(when + ". ");
        }
    }

    private static void Family(MessageBuilder b, MessageFacts f, Random rng, FamilyHistoryItem h)
    {
        var fr = f.French;
        var words = LayLexicon.For(h.Concept);
        if (h.Negated)
        {
            if (fr)
            {
                var noun = rng.Pick(words.NounsFr);
                b.Text("Personne n'a " + noun.DePrefix).Mention(h.Concept, noun.Text, Certainty.Negated, Temporality.Current, Experiencer.Family).Text(" dans ma famille. ");
            }
            else
            {
                b.Text("nobody in my family has ").Mention(h.Concept, rng.Pick(words.NounsEn).Text, Certainty.Negated, Temporality.Current, Experiencer.Family).Text(". ");
            }

            return;
        }

        var lay = rng.Pick(fr ? words.FamilyFr : words.FamilyEn);
        b.Text(NoteBuilder.Capitalise(Relative(h.Relative, fr)) + " " + lay.Lead)
            .Mention(h.Concept, lay.Text, Certainty.Affirmed, Temporality.Current, Experiencer.Family)
            .Text(rng.Chance(0.3) ? (fr ? " aussi. " : " too. ") : ". ");
    }

    /// <summary>"ma mère", "mon grand-père", "my mum", "my grandfather".</summary>
    internal static string Relative(Relative r, bool french)
    {
        if (french)
        {
            return (r.FrenchFeminine ? "ma " : "mon ") + r.French.Split(' ')[0];
        }

        var who = r.English.Split(' ')[^1];
        return "my " + who switch { "mother" => "mum", "father" => "dad", _ => who };
    }
}
