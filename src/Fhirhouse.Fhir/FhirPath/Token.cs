namespace Fhirhouse.Fhir.FhirPath;

/// <summary>One lexical token of a FHIRPath expression; <see cref="Text"/> is unescaped for strings and identifiers.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && string.Equals(Text, symbol, StringComparison.Ordinal);
}
