namespace Fhirhouse.Nlp.Text;

/// <summary>
/// A token of a text: its span in the original text (<see cref="Start"/> inclusive, <see cref="End"/> exclusive, in
/// UTF-16 code units) and its normalised form (<see cref="Norm"/>: lower case, accents and ligatures folded,
/// typographic apostrophes made plain), which rules and lexicons match.
/// </summary>
public readonly record struct Token(int Start, int End, string Norm, TokenKind Kind)
{
    /// <summary>The token's number, for a <see cref="TokenKind.Number"/> (decimal comma or point).</summary>
    public double? Number => Kind == TokenKind.Number && double.TryParse(Norm.Replace(',', '.'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
