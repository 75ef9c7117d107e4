using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>ICD-10 codes as release files write them (E119, T08+0) and as codings carry them (E11.9).</summary>
internal static class IcdCode
{
    /// <summary>A letter then 2 to 6 letters, digits or '+' (ATIH), no dot.</summary>
    public static bool IsCompact(ReadOnlySpan<char> code)
    {
        if (code.Length is < 3 or > 7 || !char.IsAsciiLetterUpper(code[0]))
        {
            return false;
        }

        foreach (var c in code[1..])
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c) && c != '+')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The code with its dot after the category (E11.9); none when the fourth character is '+' (T08+0) or there is none.</summary>
    public static string Dotted(ReadOnlySpan<char> code) =>
        code.Length > 3 && code[3] != '+' ? string.Concat(code[..3], ".", code[3..]) : code.ToString();

    /// <summary>Chapter XVIII (R: symptoms, signs and abnormal findings) is a symptom; every other code a condition.</summary>
    public static ConceptKind Kind(string code) => code[0] == 'R' ? ConceptKind.Symptom : ConceptKind.Condition;
}
