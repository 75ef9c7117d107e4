namespace Fhirhouse.Nlp.Text;

/// <summary>A sentence of a text: its span and its tokens (indexes into the text's token list are not kept: the tokens are its own).</summary>
public sealed record Sentence(int Start, int End, IReadOnlyList<Token> Tokens);
