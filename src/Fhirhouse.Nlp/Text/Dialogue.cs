namespace Fhirhouse.Nlp.Text;

/// <summary>How a patient answered a question of a transcript.</summary>
public enum DialogueAnswer
{
    Yes,
    No,
    Unsure,
}

/// <summary>One question of a transcript (its span, the turn's words) and the patient's answer to it, when the next turn is the patient's.</summary>
public sealed record DialogueQuestion(int Start, int End, string Question, DialogueAnswer? Answer, string AnswerText);

/// <summary>
/// The questions of a chat or triage transcript and the patient's answers: a transcript is lines that start with a
/// speaker and a colon ("Bot:", "Assistant :", "Nurse:", "Infirmière :" ask; "Patient:", "Moi :", "User:" answer).
/// A question is an asker's turn that ends with "?"; its answer is the patient's next turn, read from its first words:
/// yes ("yes", "oui", "yeah", "a bit", "un peu"...), no ("no", "non", "never", "pas du tout", "jamais"...), or unsure
/// ("I don't know", "not sure", "je ne sais pas", "peut-être"...). "Do you have a headache?" answered "no" is a refuted
/// headache, though the words "no headache" are nowhere in the question.
/// </summary>
public static class Dialogue
{
    private static readonly string[] s_askers = ["bot", "chatbot", "assistant", "assistante", "agent", "nurse", "infirmier", "infirmiere", "dr", "doctor", "docteur", "medecin", "triage"];
    private static readonly string[] s_patients = ["patient", "patiente", "moi", "me", "user", "utilisateur", "utilisatrice", "vous"];

    private static readonly string[] s_unsure = ["i don't know", "i dont know", "idk", "not sure", "i'm not sure", "im not sure", "maybe", "perhaps", "possibly", "i think so", "not really sure",
        "je ne sais pas", "je sais pas", "j'sais pas", "chais pas", "sais pas", "peut-etre", "peut etre", "pas sur", "pas sure", "je crois", "je pense"];

    private static readonly string[] s_no = ["no", "nope", "nah", "never", "not at all", "none", "not really", "not that i know", "not that i'm aware", "nothing", "non", "nan", "pas du tout", "jamais", "aucun", "aucune", "pas vraiment", "pas a ma connaissance", "pas de", "pas d'", "negatif"];

    private static readonly string[] s_yes = ["yes", "yeah", "yep", "yup", "sure", "a bit", "a little", "definitely", "absolutely", "i do", "i have", "i did",
        "oui", "ouais", "ouai", "si", "un peu", "tout a fait", "exactement", "effectivement", "bien sur", "j'ai", "je suis"];

    /// <summary>The questions of <paramref name="text"/> with their answers; none when the text is not a transcript.</summary>
    public static IReadOnlyList<DialogueQuestion> Questions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var turns = Turns(text);
        var questions = new List<DialogueQuestion>();
        for (var i = 0; i < turns.Count; i++)
        {
            var (asker, start, end) = turns[i];
            var words = text[start..end].TrimEnd();
            if (!asker || !words.EndsWith('?'))
            {
                continue;
            }

            var answer = i + 1 < turns.Count && !turns[i + 1].Asker ? text[turns[i + 1].Start..turns[i + 1].End].Trim() : null;
            questions.Add(new DialogueQuestion(start, end, words, answer is null ? null : Classify(answer), answer ?? ""));
        }

        return questions;
    }

    /// <summary>
    /// The question of <paramref name="questions"/> that holds the span, with the answer it gets for the words
    /// <paramref name="mention"/> there: the answer's yes, no or unsure; else, when the answer names some of what the
    /// question asked ("Any of: rash, joint pain, swelling?" "joint pain only"), yes for what it names and no for the
    /// rest (<paramref name="others"/>: the other things the question asks about). Null when nothing answers it.
    /// </summary>
    public static (DialogueQuestion Question, DialogueAnswer Answer)? AnswerTo(IReadOnlyList<DialogueQuestion> questions, int start, int end, string mention, IEnumerable<string> others)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(mention);
        ArgumentNullException.ThrowIfNull(others);
        var question = questions.FirstOrDefault(q => q.Start <= start && end <= q.End && q.AnswerText.Length > 0);
        if (question is null)
        {
            return null;
        }

        if (question.Answer is { } answer)
        {
            return (question, answer);
        }

        var answerText = TextFolding.Fold(question.AnswerText);
        bool Names(string words) => TextFolding.Fold(words).Trim() is { Length: > 2 } folded && answerText.Contains(folded, StringComparison.Ordinal);
        return Names(mention) ? (question, DialogueAnswer.Yes)
            : others.Any(Names) ? (question, DialogueAnswer.No)
            : null;
    }

    /// <summary>The things a question lists ("rash, joint pain or swelling"): its words after a colon, else all, cut at commas, "or", "ou", "and", "et".</summary>
    public static IEnumerable<string> ListedIn(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var colon = question.LastIndexOf(':');
        var items = (colon >= 0 ? question[(colon + 1)..] : question).TrimEnd('?', ' ');
        return items.Split([",", " or ", " ou ", " and ", " et ", ";"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>How an answer answers: by its first words, folded; null when they say neither yes, no nor unsure.</summary>
    public static DialogueAnswer? Classify(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var folded = TextFolding.Fold(answer).Trim().TrimStart('-', '*', ' ').Replace('\u2019', '\'');
        if (StartsWithAny(folded, s_unsure))
        {
            return DialogueAnswer.Unsure;
        }

        if (StartsWithAny(folded, s_no))
        {
            return DialogueAnswer.No;
        }

        return StartsWithAny(folded, s_yes) ? DialogueAnswer.Yes : null;
    }

    private static bool StartsWithAny(string folded, string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            if (folded.StartsWith(phrase, StringComparison.Ordinal)
                && (folded.Length == phrase.Length || phrase.EndsWith('\'') || !char.IsLetterOrDigit(folded[phrase.Length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The turns of a transcript: who speaks (an asker or the patient) and the span of what they say; empty unless at
    /// least one of each speaks. A turn starts with its speaker and a colon at the start of a line, or after a sentence's
    /// end on the same line ("BOT: Any chest pain? USER: not really"), and runs to the next turn.
    /// </summary>
    private static List<(bool Asker, int Start, int End)> Turns(string text)
    {
        var markers = new List<(int At, int Content, bool Asker)>();
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsLetter(text[i]) || !(i == 0 || text[i - 1] == '\n' || (char.IsWhiteSpace(text[i - 1]) && AfterSentenceEnd(text, i))))
            {
                continue;
            }

            var colon = text.IndexOf(':', i, Math.Min(24, text.Length - i));
            var newline = text.IndexOf('\n', i, colon < 0 ? 0 : colon - i);
            if (colon <= i || newline >= 0)
            {
                continue;
            }

            var speaker = TextFolding.Fold(text.AsSpan(i, colon - i)).Trim();
            bool? asker = s_askers.Contains(speaker) || s_askers.Any(a => speaker.StartsWith(a + " ", StringComparison.Ordinal)) ? true
                : s_patients.Contains(speaker) ? false
                : null;
            if (asker is { } who)
            {
                markers.Add((i, colon + 1, who));
                i = colon;
            }
        }

        var turns = new List<(bool Asker, int Start, int End)>(markers.Count);
        for (var m = 0; m < markers.Count; m++)
        {
            turns.Add((markers[m].Asker, markers[m].Content, m + 1 < markers.Count ? markers[m + 1].At : text.Length));
        }

        return turns.Any(t => t.Asker) && turns.Any(t => !t.Asker) ? turns : [];
    }

    private static bool AfterSentenceEnd(string text, int at)
    {
        var i = at - 1;
        while (i >= 0 && text[i] is ' ' or '\t')
        {
            i--;
        }

        return i >= 0 && text[i] is '?' or '.' or '!';
    }
}
