using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Terminology;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Lexicon;

/// <summary>
/// Terms of concepts, matched over folded tokens with a token trie: at each position the longest term wins, and a term
/// word of seven letters or more may carry one typo (one letter dropped, added, changed or two swapped: "pneumonie"
/// for "pneumopathie" does not match, "diabete" for "diabète" needs no forgiveness, "hypertention" does), found through
/// the words' single-deletion neighbours as SymSpell does.
/// Lexicon files are TSV: <c>term&lt;TAB&gt;concept id&lt;TAB&gt;kind&lt;TAB&gt;display&lt;TAB&gt;codes</c>, codes as
/// <c>system|code</c> separated by spaces, with systems <c>sct</c>, <c>icd10</c>, <c>icd10cm</c>, <c>atc</c>, <c>loinc</c>,
/// <c>umls</c> or an absolute URI; a concept's kind and display are those of its first line, its codes the union of its
/// lines' codes. <see cref="LexiconFile"/> writes them.
/// </summary>
public sealed class ConceptLexicon
{
    private const int MinFuzzyLength = 7;
    private readonly Node _root = new();
    private readonly Dictionary<string, List<string>> _deletions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);

    /// <summary>The lexicon's name and version (recorded with what it finds).</summary>
    public string Version { get; private set; }

    /// <summary>
    /// A digest of what the lexicon holds (every term with its concept, kind, display and codes, in order): two lexicons
    /// with the same digest find the same things, whatever their <see cref="Version"/> says.
    /// </summary>
    public string Digest { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, Concept> Concepts { get; }

    public int TermCount { get; private set; }

    private ConceptLexicon(string version, Dictionary<string, Concept> concepts)
    {
        Version = version;
        Concepts = concepts;
    }

    /// <summary>The lexicon shipped for <paramref name="language"/> (src/Fhirhouse.Nlp/Lexicon/lexicon-en.tsv, lexicon-fr.tsv).</summary>
    public static ConceptLexicon Shipped(Language language)
    {
        var name = language == Language.French ? "lexicon-fr.tsv" : "lexicon-en.tsv";
        using var stream = typeof(ConceptLexicon).Assembly.GetManifestResourceStream("Fhirhouse.Nlp.Lexicon." + name)
            ?? throw new InvalidOperationException($"The lexicon {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(name, reader);
    }

    /// <summary>Parses a lexicon file; a bad line is an error naming the file and line.</summary>
    public static ConceptLexicon Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(name, reader);
    }

    /// <summary>Parses a lexicon file line by line; a bad line is an error naming the file and line.</summary>
    public static ConceptLexicon Parse(string name, TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reader);
        var version = name;
        var terms = Lines(name, reader, v => version = $"{name} {v}");
        var lexicon = Build(name, terms);
        lexicon.Version = version;
        return lexicon;
    }

    /// <summary>
    /// A lexicon of <paramref name="terms"/>. A concept's kind and display are those of its first term; its codes are
    /// the union of its terms' codes, in first-seen order.
    /// </summary>
    public static ConceptLexicon Build(string version, IEnumerable<TerminologyTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(terms);
        var concepts = new Dictionary<string, (ConceptKind Kind, string Display, List<Coding> Codes)>(StringComparer.Ordinal);
        var pending = new List<(string Term, string Id)>();
        foreach (var term in terms)
        {
            if (!concepts.TryGetValue(term.ConceptId, out var concept))
            {
                concept = (term.Kind, term.Display, []);
                concepts[term.ConceptId] = concept;
            }

            foreach (var code in term.Codes)
            {
                if (!concept.Codes.Contains(code))
                {
                    concept.Codes.Add(code);
                }
            }

            pending.Add((term.Term, term.ConceptId));
        }

        var built = new Dictionary<string, Concept>(concepts.Count, StringComparer.Ordinal);
        foreach (var (id, (kind, display, codes)) in concepts)
        {
            built[id] = new Concept(id, display, kind, codes.ToArray());
        }

        var lexicon = new ConceptLexicon(version, built);
        using var digest = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (term, id) in pending)
        {
            lexicon.Add(term, built[id]);
            var concept = built[id];
            digest.AppendData(System.Text.Encoding.UTF8.GetBytes($"{term}\t{id}\t{concept.Kind}\t{concept.Display}\t{string.Join(' ', concept.Codes.Select(c => c.System + "|" + c.Code))}\n"));
        }

        lexicon.Digest = Convert.ToHexStringLower(digest.GetHashAndReset())[..16];
        return lexicon;
    }

    private static IEnumerable<TerminologyTerm> Lines(string name, TextReader reader, Action<string> onVersion)
    {
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (line.StartsWith("# version ", StringComparison.Ordinal))
            {
                onVersion(line["# version ".Length..].Trim());
                continue;
            }

            if (line.Trim().Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length != 5)
            {
                throw new FormatException($"Lexicon {name}, line {n}: expected term<TAB>concept id<TAB>kind<TAB>display<TAB>codes.");
            }

            if (!Enum.TryParse<ConceptKind>(f[2], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new FormatException($"Lexicon {name}, line {n}: unknown kind '{f[2]}' ({string.Join(", ", Enum.GetNames<ConceptKind>())}).");
            }

            yield return new TerminologyTerm(f[0], f[1], kind, f[3], Codes(f[4], name, n));
        }
    }

    /// <summary>The concepts mentioned in <paramref name="sentence"/>: longest term at each position, not overlapping.</summary>
    public List<ConceptMatch> Find(IReadOnlyList<Token> sentence, string text)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<ConceptMatch>();
        var i = 0;
        while (i < sentence.Count)
        {
            var (length, concept, fuzzy) = Longest(sentence, i);
            if (concept is null)
            {
                i++;
                continue;
            }

            var last = i + length - 1;
            found.Add(new ConceptMatch(concept, i, last, sentence[i].Start, sentence[last].End, text[sentence[i].Start..sentence[last].End], fuzzy));
            i += length;
        }

        return found;
    }

    private (int Length, Concept? Concept, bool Fuzzy) Longest(IReadOnlyList<Token> tokens, int at)
    {
        (int, Concept?, bool) best = (0, null, false);
        Walk(_root, tokens, at, 0, forgiven: false, ref best);
        return best;
    }

    private void Walk(Node node, IReadOnlyList<Token> tokens, int at, int depth, bool forgiven, ref (int Length, Concept? Concept, bool Fuzzy) best)
    {
        if (node.Concept is { } concept && (depth > best.Length || (depth == best.Length && best.Fuzzy && !forgiven)))
        {
            best = (depth, concept, forgiven);
        }

        if (at + depth >= tokens.Count)
        {
            return;
        }

        var word = tokens[at + depth].Norm;
        if (node.Children is null)
        {
            return;
        }

        if (node.Children.TryGetValue(word, out var next))
        {
            Walk(next, tokens, at, depth + 1, forgiven, ref best);
        }

        if (!forgiven && word.Length >= MinFuzzyLength - 1 && !_words.Contains(word))
        {
            foreach (var candidate in Neighbours(word))
            {
                if (node.Children.TryGetValue(candidate, out var near))
                {
                    Walk(near, tokens, at, depth + 1, forgiven: true, ref best);
                }
            }
        }
    }

    /// <summary>Lexicon words of seven letters or more within one edit of <paramref name="word"/>.</summary>
    private IEnumerable<string> Neighbours(string word)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in Deletions(word).Append(word))
        {
            if (_deletions.TryGetValue(key, out var words))
            {
                foreach (var candidate in words)
                {
                    if (seen.Add(candidate) && WithinOneEdit(word, candidate))
                    {
                        yield return candidate;
                    }
                }
            }
        }
    }

    private void Add(string term, Concept concept)
    {
        var tokens = Tokenizer.Tokenize(term);
        if (tokens.Count == 0)
        {
            return;
        }

        var node = _root;
        foreach (var token in tokens)
        {
            node.Children ??= new(StringComparer.Ordinal);
            if (!node.Children.TryGetValue(token.Norm, out var next))
            {
                node.Children[token.Norm] = next = new Node();
            }

            node = next;
            _words.Add(token.Norm);
            if (token.Norm.Length >= MinFuzzyLength)
            {
                foreach (var deletion in Deletions(token.Norm).Append(token.Norm))
                {
                    if (!_deletions.TryGetValue(deletion, out var list))
                    {
                        _deletions[deletion] = list = [];
                    }

                    if (!list.Contains(token.Norm))
                    {
                        list.Add(token.Norm);
                    }
                }
            }
        }

        node.Concept ??= concept;
        TermCount++;
    }

    private static IEnumerable<string> Deletions(string word)
    {
        for (var k = 0; k < word.Length; k++)
        {
            yield return string.Concat(word.AsSpan(0, k), word.AsSpan(k + 1));
        }
    }

    /// <summary>Optimal string alignment distance at most one (a deletion, insertion, substitution or swap of neighbours).</summary>
    internal static bool WithinOneEdit(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        if (a.Length == b.Length)
        {
            return a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))
                || (i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2)));
        }

        return a.Length > b.Length ? a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i)) : a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1));
    }

    private static List<Coding> Codes(string field, string name, int line)
    {
        var codes = new List<Coding>();
        foreach (var part in field.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var bar = part.LastIndexOf('|');
            var uri = bar > 0 && bar < part.Length - 1 ? CodeSystemNames.Uri(part[..bar]) : null;
            if (uri is null)
            {
                throw new FormatException($"Lexicon {name}, line {line}: code '{part}' is not system|code with a system of {CodeSystemNames.Accepted}.");
            }

            codes.Add(new Coding(uri, part[(bar + 1)..]));
        }

        return codes;
    }

    private sealed class Node
    {
        /// <summary>The next words of longer terms; null at a leaf (most nodes of an imported lexicon).</summary>
        public Dictionary<string, Node>? Children { get; set; }

        public Concept? Concept { get; set; }
    }
}
