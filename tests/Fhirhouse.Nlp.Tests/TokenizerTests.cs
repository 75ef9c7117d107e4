using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Tests;

public sealed class TokenizerTests
{
    [Fact]
    public void Tokens_keep_their_place_and_are_folded()
    {
        var text = "Suspicion d’embolie : T 38,5 °C, TA 150/95 ; doesn't cœur";
        var tokens = Tokenizer.Tokenize(text);
        Assert.Equal(["suspicion", "d'", "embolie", ":", "t", "38,5", "°", "c", ",", "ta", "150", "/", "95", ";", "doesn't", "coeur"], tokens.Select(t => t.Norm));
        Assert.All(tokens, t => Assert.Equal(TextFolding.Fold(text.AsSpan(t.Start, t.End - t.Start)), t.Norm));
        Assert.Equal(38.5, tokens[5].Number);
        Assert.Equal(TokenKind.Number, tokens[10].Kind);
    }

    [Fact]
    public void Sentences_end_at_stops_but_not_after_abbreviations_or_inside_numbers()
    {
        var sentences = SentenceSplitter.Split("Vu par le Dr. Martin. T 37.8 ce jour ! Pas de fièvre\n- toux sèche\n\nConclusion : RAS");
        Assert.Equal(5, sentences.Count);
        Assert.Equal(["vu", "par", "le", "dr", ".", "martin", "."], sentences[0].Tokens.Select(t => t.Norm));
        Assert.Equal(["t", "37.8", "ce", "jour", "!"], sentences[1].Tokens.Select(t => t.Norm));
    }
}
