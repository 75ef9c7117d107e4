namespace Fhirhouse.Nlp.Text;

/// <summary>What a token is: a word (letters, with inner hyphens or an elided apostrophe), a number, or punctuation.</summary>
public enum TokenKind
{
    Word,
    Number,
    Punctuation,
}
