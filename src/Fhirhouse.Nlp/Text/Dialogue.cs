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

    private static readonly string[] s_no = ["no", "nope", "nah", "never", "not at all", "none", "not really", "non", "nan", "pas du tout", "jamais", "aucun", "aucune", "pas vraiment", "pas de", "pas d'", "negatif"];

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

    /// <summary>The turns of a transcript: who speaks (an asker or the patient) and the span of what they say; empty unless at least one of each speaks.</summary>
    private static List<(bool Asker, int Start, int End)> Turns(string text)
    {
        var turns = new List<(bool Asker, int Start, int End)>();
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var colon = text.IndexOf(':', lineStart, lineEnd - lineStart);
            var speaker = colon > lineStart && colon - lineStart <= 24 ? TextFolding.Fold(text.AsSpan(lineStart, colon - lineStart)).Trim() : null;
            bool? asker = speaker is null ? null
                : s_askers.Contains(speaker) || s_askers.Any(a => speaker.StartsWith(a + " ", StringComparison.Ordinal)) ? true
                : s_patients.Contains(speaker) ? false
                : null;
            if (asker is { } who)
            {
                turns.Add((who, colon + 1, lineEnd));
            }
            else if (turns.Count > 0 && lineEnd > lineStart)
            {
                // A line with no speaker continues the turn before it.
                turns[^1] = turns[^1] with { End = lineEnd };
            }

            lineStart = lineEnd + 1;
        }

        return turns.Any(t => t.Asker) && turns.Any(t => !t.Asker) ? turns : [];
    }
}
