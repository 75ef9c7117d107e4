namespace Fhirhouse.Synthetic.Catalog;

/// <summary>A surface form (French or English) with its grammatical gender, so templates can put articles before it.</summary>
public readonly record struct Term(string Text, bool Feminine)
{
    private bool Elides => Text.Length > 0 && "aeiouyhéèêàâîôûœAEIOUYHÉŒ".Contains(Text[0], StringComparison.Ordinal);

    /// <summary>"de " or "d'" (d'HTA).</summary>
    public string DePrefix => Elides ? "d'" : "de ";

    /// <summary>"un " or "une ".</summary>
    public string UnPrefix => Feminine ? "une " : "un ";

    /// <summary>"le ", "la " or "l'".</summary>
    public string LePrefix => Elides ? "l'" : Feminine ? "la " : "le ";

    /// <summary>"e" when feminine, for agreeing adjectives and participles.</summary>
    public string E => Feminine ? "e" : string.Empty;
}
