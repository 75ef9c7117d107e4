namespace Fhirhouse.Nlp.Text;

/// <summary>
/// A quick, allocation-free "could this word be one of them" over a set of words: by length, first and last letter. No
/// false negatives; the few false positives are settled by the exact lookup it guards.
/// </summary>
internal sealed class WordFilter
{
    private const int Lengths = 16;
    private const int Letters = 37;
    private readonly ulong[] _bits = new ulong[((Lengths * Letters * Letters) + 63) / 64];

    public void Add(ReadOnlySpan<char> word)
    {
        var key = Key(word);
        _bits[key >> 6] |= 1UL << (key & 63);
    }

    public bool MayContain(ReadOnlySpan<char> word)
    {
        if (word.IsEmpty)
        {
            return false;
        }

        var key = Key(word);
        return (_bits[key >> 6] & (1UL << (key & 63))) != 0;
    }

    private static int Key(ReadOnlySpan<char> word) =>
        (((Math.Min(word.Length, Lengths - 1) * Letters) + Letter(word[0])) * Letters) + Letter(word[^1]);

    private static int Letter(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '0' and <= '9' => 26 + (c - '0'),
        _ => 36,
    };
}
