namespace Fhirhouse.Nlp.Text;

/// <summary>
/// Phrases over <see cref="QuantityTokens"/>, longest first. A phrase is written as text and cut into tokens the same way
/// as the text it is matched against (one ending in an elision, "en cas d'", as if a word followed); a <c>#</c> in it
/// stands for any number, whose value the match returns.
/// </summary>
internal sealed class PhraseTrie<T>
    where T : class
{
    private const int MaxNumbers = 4;
    private readonly Node _root = new();
    private Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _firstWords;

    public PhraseTrie() => _firstWords = _root.Children.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Adds <paramref name="phrase"/>; the first value given for a phrase stays.</summary>
    public void Add(string phrase, T value)
    {
        var tokens = QuantityTokens.Refine(Tokenizer.Tokenize(phrase), phrase);
        if (phrase.EndsWith('\'') || phrase.EndsWith('\u2019'))
        {
            // A phrase ending in an elision ("en cas d'"): cut as the text is, where a word follows it.
            var followed = phrase + "x";
            tokens = QuantityTokens.Refine(Tokenizer.Tokenize(followed), followed);
            tokens.RemoveAt(tokens.Count - 1);
        }

        if (tokens.Count == 0)
        {
            throw new FormatException($"The phrase '{phrase}' has no token.");
        }

        var node = _root;
        foreach (var token in tokens)
        {
            if (token.Norm == "#")
            {
                node = node.Number ??= new Node();
                continue;
            }

            if (!node.Children.TryGetValue(token.Norm, out var next))
            {
                node.Children[token.Norm] = next = new Node();
            }

            node = next;
        }

        node.Value ??= value;
    }

    /// <summary>The longest phrase starting at <paramref name="at"/> whose tokens are not separated by a line break.</summary>
    public bool TryMatch(IReadOnlyList<Token> tokens, int at, string text, out PhraseMatch<T> match)
    {
        match = default;
        if (at >= tokens.Count || !Starts(tokens[at]))
        {
            return false;
        }

        Span<decimal> numbers = stackalloc decimal[MaxNumbers];
        Span<decimal> best = stackalloc decimal[MaxNumbers];
        var bestLength = 0;
        var bestCount = 0;
        T? bestValue = null;
        Walk(_root, tokens, text, at, 0, numbers, 0, best, ref bestLength, ref bestCount, ref bestValue);
        if (bestValue is null)
        {
            return false;
        }

        match = new PhraseMatch<T>(bestLength, bestValue, best[..bestCount].ToArray());
        return true;
    }

    /// <summary>Whether a phrase starts with the word <paramref name="word"/>.</summary>
    public bool StartsWith(ReadOnlySpan<char> word) => _firstWords.ContainsKey(word);

    private bool Starts(Token token) => token.Kind == TokenKind.Number ? _root.Number is not null : _root.Children.ContainsKey(token.Norm);

    private static void Walk(Node node, IReadOnlyList<Token> tokens, string text, int at, int depth, Span<decimal> numbers, int count,
        Span<decimal> best, ref int bestLength, ref int bestCount, ref T? bestValue)
    {
        if (node.Value is { } value && depth > bestLength)
        {
            bestLength = depth;
            bestCount = count;
            bestValue = value;
            numbers[..count].CopyTo(best);
        }

        var k = at + depth;
        if (k >= tokens.Count || (depth > 0 && text.AsSpan(tokens[k - 1].End, tokens[k].Start - tokens[k - 1].End).Contains('\n')))
        {
            return;
        }

        var token = tokens[k];
        if (node.Children.TryGetValue(token.Norm, out var next))
        {
            Walk(next, tokens, text, at, depth + 1, numbers, count, best, ref bestLength, ref bestCount, ref bestValue);
        }

        if (token.Kind == TokenKind.Number && node.Number is { } slot && count < MaxNumbers)
        {
            numbers[count] = QuantityTokens.Value(token);
            Walk(slot, tokens, text, at, depth + 1, numbers, count + 1, best, ref bestLength, ref bestCount, ref bestValue);
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public Node? Number { get; set; }

        public T? Value { get; set; }
    }
}
