using Fhirhouse.Nlp.Terminology;

namespace Fhirhouse.Nlp.Lexicon;

/// <summary>
/// Writes terms as a lexicon file that <see cref="ConceptLexicon.Parse(string, TextReader)"/> reads back: a
/// <c># version</c> line, then <c>term&lt;TAB&gt;concept id&lt;TAB&gt;kind&lt;TAB&gt;display&lt;TAB&gt;codes</c>, one
/// line a term, in the order given. Systems are written by their short name (<c>sct</c>, <c>icd10cm</c>...) or as their URI.
/// </summary>
public static class LexiconFile
{
    /// <summary>
    /// Writes <paramref name="terms"/> under <paramref name="version"/> and returns how many lines of terms were written.
    /// A term, id or display holding a tab or line break, or a code holding a space, is an <see cref="ArgumentException"/>.
    /// </summary>
    public static int Write(TextWriter writer, string version, IEnumerable<TerminologyTerm> terms, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Check(version, nameof(version));
        writer.NewLine = "\n";
        if (comment is not null)
        {
            foreach (var line in comment.Split('\n'))
            {
                writer.WriteLine("# " + line.TrimEnd('\r'));
            }
        }

        writer.WriteLine("# version " + version);
        var count = 0;
        foreach (var term in terms)
        {
            Check(term.Term, "term");
            if (term.Term.StartsWith('#'))
            {
                throw new ArgumentException($"A lexicon term cannot start with '#' (a comment): '{term.Term}'.", nameof(terms));
            }

            Check(term.ConceptId, "concept id");
            Check(term.Display, "display");
            writer.Write(term.Term);
            writer.Write('\t');
            writer.Write(term.ConceptId);
            writer.Write('\t');
            writer.Write(term.Kind.ToString());
            writer.Write('\t');
            writer.Write(term.Display);
            writer.Write('\t');
            for (var k = 0; k < term.Codes.Count; k++)
            {
                var code = term.Codes[k];
                if (code.Code.Length == 0 || code.Code.AsSpan().IndexOfAny(" \t\r\n") >= 0 || code.System.AsSpan().IndexOfAny(" \t\r\n|") >= 0)
                {
                    throw new ArgumentException($"The code '{code.System}|{code.Code}' of concept {term.ConceptId} cannot be written: codes and systems hold no spaces.", nameof(terms));
                }

                if (k > 0)
                {
                    writer.Write(' ');
                }

                writer.Write(CodeSystemNames.Name(code.System));
                writer.Write('|');
                writer.Write(code.Code);
            }

            writer.WriteLine();
            count++;
        }

        return count;

        static void Check(string value, string what)
        {
            if (value.Length == 0 || value.AsSpan().IndexOfAny("\t\r\n") >= 0)
            {
                throw new ArgumentException($"A lexicon {what} cannot be empty nor hold a tab or line break: '{value.ReplaceLineEndings(" ")}'.", nameof(terms));
            }
        }
    }
}
