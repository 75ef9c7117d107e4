using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// Reads the CMS ICD-10-CM order file: fixed width, order number in columns 1-5, code in 7-13 (no dot), header flag in
/// 15 (1: valid for coding, 0: a header), short description in 17-76, long description from 78. One concept a code,
/// written with its dot (E11.9), id <c>icd10cm:E11.9</c>; chapter R (symptoms, signs) is <see cref="ConceptKind.Symptom"/>,
/// the rest <see cref="ConceptKind.Condition"/>.
/// </summary>
internal static class Icd10CmOrderFile
{
    private const string Kind = "ICD-10-CM order file";
    private const int LongStart = 77;

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

            if (line.Length <= LongStart)
            {
                throw ReleaseFileError.At(Kind, name, n, $"{line.Length} characters; a line has the order number (1-5), code (7-13), header flag (15), short description (17-76) and long description (78 on).");
            }

            if (line.AsSpan(0, 5).ContainsAnyExceptInRange('0', '9'))
            {
                throw ReleaseFileError.At(Kind, name, n, "the order number (columns 1-5) is not five digits.");
            }

            foreach (var blank in (ReadOnlySpan<int>)[5, 13, 15, 76])
            {
                if (line[blank] != ' ')
                {
                    throw ReleaseFileError.At(Kind, name, n, $"column {blank + 1} is not blank.");
                }
            }

            var code = line.AsSpan(6, 7).TrimEnd(' ');
            if (!IcdCode.IsCompact(code))
            {
                throw ReleaseFileError.At(Kind, name, n, "the code (columns 7-13) is not an ICD-10-CM code (a letter, then 2 to 6 letters or digits).");
            }

            var flag = line[14];
            if (flag is not ('0' or '1'))
            {
                throw ReleaseFileError.At(Kind, name, n, $"the header flag (column 15) is '{flag}', expected 0 or 1.");
            }

            var longLabel = TermForms.Collapse(line[LongStart..]);
            if (longLabel.Length == 0)
            {
                throw ReleaseFileError.At(Kind, name, n, "the long description (column 78 on) is empty.");
            }

            if (flag == '0' && !options.IncludeCategories)
            {
                continue;
            }

            var dotted = IcdCode.Dotted(code);
            seen.Clear();
            forms.Clear();
            TermForms.Add(longLabel, options.Variants, seen, forms);
            if (options.ShortLabels)
            {
                TermForms.Add(line[16..76], options.Variants, seen, forms);
            }

            var kind = IcdCode.Kind(dotted);
            Coding[] codes = [new(CodeSystemNames.Icd10Cm, dotted)];
            foreach (var form in forms)
            {
                yield return new TerminologyTerm(form, "icd10cm:" + dotted, kind, longLabel, codes);
            }
        }
    }
}
