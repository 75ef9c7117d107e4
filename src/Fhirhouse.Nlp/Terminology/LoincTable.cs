using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// Reads the LOINC table <c>Loinc.csv</c> (RFC 4180, a header row naming the columns, in any order). One concept a
/// LOINC_NUM, id <c>loinc:2345-7</c>, kind <see cref="ConceptKind.Measurement"/>, display LONG_COMMON_NAME; terms
/// LONG_COMMON_NAME, SHORTNAME and DisplayName where the table has them. Terms with STATUS DEPRECATED or DISCOURAGED
/// are left out.
/// </summary>
internal static class LoincTable
{
    private const string Kind = "LOINC table";

    public static IEnumerable<TerminologyTerm> Read(TextReader reader, string name, TerminologyOptions options)
    {
        var records = new CsvRecords(reader, Kind, name);
        var header = records.Next() ?? throw ReleaseFileError.At(Kind, name, 1, "the file is empty; expected a header row.");
        var number = Column("LOINC_NUM", required: true);
        var longName = Column("LONG_COMMON_NAME", required: true);
        var status = Column("STATUS", required: true);
        var shortName = Column("SHORTNAME", required: false);
        var displayName = Column("DisplayName", required: false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = new List<string>();
        while (records.Next() is { } f)
        {
            if (f.Count != header.Count)
            {
                throw ReleaseFileError.At(Kind, name, records.Line, $"{f.Count} fields; the header has {header.Count}.");
            }

            var code = f[number].Trim();
            if (!IsLoincCode(code))
            {
                throw ReleaseFileError.At(Kind, name, records.Line, "LOINC_NUM is not a LOINC code (digits, '-', a check digit).");
            }

            if (f[status].Trim() is "DEPRECATED" or "DISCOURAGED")
            {
                continue;
            }

            var display = TermForms.Collapse(f[longName]);
            if (display.Length == 0)
            {
                throw ReleaseFileError.At(Kind, name, records.Line, "LONG_COMMON_NAME is empty.");
            }

            seen.Clear();
            forms.Clear();
            TermForms.Add(display, options.Variants, seen, forms);
            if (shortName >= 0)
            {
                TermForms.Add(f[shortName], options.Variants, seen, forms);
            }

            if (displayName >= 0)
            {
                TermForms.Add(f[displayName], options.Variants, seen, forms);
            }

            Coding[] codes = [new(CodeSystemNames.Loinc, code)];
            foreach (var form in forms)
            {
                yield return new TerminologyTerm(form, "loinc:" + code, ConceptKind.Measurement, display, codes);
            }
        }

        int Column(string column, bool required)
        {
            var at = header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));
            return at >= 0 || !required ? at : throw ReleaseFileError.At(Kind, name, 1, $"the header has no {column} column.");
        }
    }

    private static bool IsLoincCode(string code)
    {
        var dash = code.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && dash == code.Length - 2 && !code.AsSpan(0, dash).ContainsAnyExceptInRange('0', '9') && char.IsAsciiDigit(code[^1]);
    }
}
