using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// Reads the ATIH CIM-10 label file, pipe-separated: <c>LIBCIM10MULTI.TXT</c> is
/// <c>code|MCO type|SSR profile|PSY type|short label|long label</c>, the older <c>LIBCIM10.TXT</c>
/// <c>code|type|short label|long label</c>. The code is the first field (no dot, padded with spaces, '+' in the French
/// extensions: T08+0), the MCO type the second (3: a category with subdivisions, not valid for coding), the labels the
/// last two. One concept a code, written with its dot (E11.9), id <c>cim10:E11.9</c>, system ICD-10 (the French
/// extensions have no code system of their own); chapter R is <see cref="ConceptKind.Symptom"/>, the rest
/// <see cref="ConceptKind.Condition"/>.
/// </summary>
internal static class AtihCim10File
{
    private const string Kind = "ATIH CIM-10 file";

    public static IEnumerable<TerminologyTerm> Read(TextReader reader, string name, TerminologyOptions options)
    {
        var n = 0L;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var f = line.Split('|');
            if (f.Length < 4)
            {
                throw ReleaseFileError.At(Kind, name, n, $"{f.Length} fields; expected code|type|...|short label|long label (at least 4 fields separated by '|').");
            }

            var code = f[0].AsSpan().Trim();
            if (!IcdCode.IsCompact(code))
            {
                throw ReleaseFileError.At(Kind, name, n, "the code (field 1) is not a CIM-10 code (a letter, then 2 to 6 letters, digits or '+', no dot).");
            }

            var shortLabel = f[^2].Trim();
            var longLabel = f[^1].Trim();
            if (longLabel.Length == 0 && shortLabel.Length == 0)
            {
                throw ReleaseFileError.At(Kind, name, n, $"both labels (fields {f.Length - 1} and {f.Length}) are empty.");
            }

            if (f[1].Trim() == "3" && !options.IncludeCategories)
            {
                continue;
            }

            var display = TermForms.Collapse(longLabel.Length > 0 ? longLabel : shortLabel);
            var dotted = IcdCode.Dotted(code);
            seen.Clear();
            forms.Clear();
            TermForms.Add(display, options.Variants, seen, forms);
            if (options.ShortLabels)
            {
                TermForms.Add(shortLabel, options.Variants, seen, forms);
            }

            var kind = IcdCode.Kind(dotted);
            Coding[] codes = [new(CodeSystemNames.Icd10, dotted)];
            foreach (var form in forms)
            {
                yield return new TerminologyTerm(form, "cim10:" + dotted, kind, display, codes);
            }
        }
    }
}
