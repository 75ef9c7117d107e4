using System.Text;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// How one patient types: all lowercase or not, accents dropped or not (French), and now and then one slip of the
/// finger in a long word of a mention (two letters swapped). Each change keeps one character for one, so a piece of
/// text is changed before its offsets are taken.
/// </summary>
internal sealed class PatientVoice(bool lowercase, bool dropsAccents, double typoRate)
{
    /// <summary>Writes text as typed, unchanged.</summary>
    public static PatientVoice Careful { get; } = new(lowercase: false, dropsAccents: false, typoRate: 0);

    public static PatientVoice Draw(Random rng, bool french) =>
        new(lowercase: rng.NextDouble() < (french ? 0.55 : 0.7), dropsAccents: french && rng.NextDouble() < 0.35, typoRate: 0.12);

    /// <summary>The text as this patient types it.</summary>
    public string Type(string text)
    {
        if (!lowercase && !dropsAccents)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var c = dropsAccents ? Plain(ch) : ch;
            sb.Append(lowercase ? char.ToLowerInvariant(c) : c);
        }

        return sb.ToString();
    }

    /// <summary>A mention as this patient types it: <see cref="Type"/>, sometimes with two letters of a long word swapped.</summary>
    public string TypeMention(string text, Random rng)
    {
        var typed = Type(text);
        if (typoRate <= 0 || rng.NextDouble() >= typoRate)
        {
            return typed;
        }

        var words = typed.Split(' ');
        var longest = 0;
        for (var i = 1; i < words.Length; i++)
        {
            if (words[i].Length > words[longest].Length)
            {
                longest = i;
            }
        }

        var word = words[longest];
        if (word.Length < 6 || !word.All(char.IsLetter))
        {
            return typed;
        }

        var at = 1 + rng.Next(word.Length - 3);
        if (word[at] == word[at + 1])
        {
            return typed;
        }

        var chars = word.ToCharArray();
        (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
        words[longest] = new string(chars);
        return string.Join(' ', words);
    }

    private static char Plain(char c) => c switch
    {
        'é' or 'è' or 'ê' or 'ë' => 'e',
        'É' or 'È' or 'Ê' => 'E',
        'à' or 'â' => 'a',
        'À' or 'Â' => 'A',
        'î' or 'ï' => 'i',
        'ô' => 'o',
        'û' or 'ù' => 'u',
        'ç' => 'c',
        _ => c,
    };
}
