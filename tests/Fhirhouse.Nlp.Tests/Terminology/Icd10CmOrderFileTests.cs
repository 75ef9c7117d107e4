using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;
using Fhirhouse.Testing;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class Icd10CmOrderFileTests
{
    private const string System = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>A line of the CMS order file: order number, code, header flag, short and long descriptions at their columns.</summary>
    internal static string Line(int order, string code, int flag, string shortDescription, string longDescription) =>
        $"{order:D5} {code,-7} {flag} {shortDescription,-60} {longDescription}";

    private static readonly string s_file = string.Join("\r\n",
        Line(1, "A00", 0, "Cholera", "Cholera"),
        Line(8690, "E11", 0, "Type 2 diabetes mellitus", "Type 2 diabetes mellitus"),
        Line(8748, "E119", 1, "Type 2 diabetes mellitus without complications", "Type 2 diabetes mellitus without complications"),
        Line(9430, "E785", 1, "Hyperlipidemia, unspecified", "Hyperlipidemia, unspecified"),
        Line(11330, "I10", 1, "Essential (primary) hypertension", "Essential (primary) hypertension"),
        Line(22100, "R059", 1, "Cough, unspecified", "Cough, unspecified"),
        Line(30000, "Z0000", 1, "Encntr for general adult medical exam w/o abnormal findings", "Encounter for general adult medical examination without abnormal findings"),
        "") + "\r\n";

    [Fact]
    public void Valid_codes_come_with_their_dot_and_header_rows_are_left_out()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "icd10cm_order_2025.txt");
        File.WriteAllText(path, s_file);
        var terms = TerminologyImport.Read(TerminologyFormat.Icd10CmOrder, path).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        Assert.DoesNotContain(terms, t => t.ConceptId is "icd10cm:E11" or "icd10cm:A00");
        var t2dm = lexicon.Only("Known type 2 diabetes mellitus without complications.", "icd10cm:E11.9");
        Assert.Equal([new Coding(System, "E11.9")], t2dm.Concept.Codes);
        Assert.Equal((ConceptKind.Condition, "Type 2 diabetes mellitus without complications"), (t2dm.Concept.Kind, t2dm.Concept.Display));
        Assert.Empty(lexicon.Ids("Type 2 diabetes mellitus."));
    }

    [Fact]
    public void Variants_drop_the_parenthesised_part_and_the_unspecified_marker()
    {
        var lexicon = new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.Icd10CmOrder, new StringReader(s_file), "icd10cm_order_2025.txt"), Language.English);

        Assert.Equal(["icd10cm:I10", "icd10cm:E78.5"], lexicon.Ids("Essential hypertension, hyperlipidemia."));
        var cough = lexicon.Only("No cough.", "icd10cm:R05.9");
        Assert.Equal((ConceptKind.Symptom, Negation.Negated), (cough.Concept.Kind, cough.Assertion.Negation));
        Assert.Equal("icd10cm:I10", lexicon.Only("Essential (primary) hypertension.", "icd10cm:I10").Concept.Id);
    }

    [Fact]
    public void Categories_and_short_descriptions_come_when_asked()
    {
        var options = new TerminologyOptions { IncludeCategories = true, ShortLabels = true, Variants = false };
        var terms = TerminologyImport.Read(TerminologyFormat.Icd10CmOrder, new StringReader(s_file), "icd10cm_order_2025.txt", options).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        Assert.Equal(["icd10cm:E11"], lexicon.Ids("Type 2 diabetes mellitus."));
        Assert.Contains(terms, t => t is { ConceptId: "icd10cm:Z00.00", Term: "Encntr for general adult medical exam w/o abnormal findings" });
        Assert.Empty(lexicon.Ids("Essential hypertension."));
    }

    [Theory]
    [InlineData("00001 A00     x Cholera", "line 2: 23 characters; a line has the order number (1-5), code (7-13), header flag (15), short description (17-76) and long description (78 on).")]
    [InlineData("00002 A00     x Cholera                                                      Cholera", "line 2: the header flag (column 15) is 'x', expected 0 or 1.")]
    [InlineData("0000A A00     1 Cholera                                                      Cholera", "line 2: the order number (columns 1-5) is not five digits.")]
    [InlineData("00002 a.00    1 Cholera                                                      Cholera", "line 2: the code (columns 7-13) is not an ICD-10-CM code (a letter, then 2 to 6 letters or digits).")]
    public void A_malformed_line_is_named(string bad, string expected)
    {
        var text = Line(1, "I10", 1, "Essential (primary) hypertension", "Essential (primary) hypertension") + "\n" + bad + "\n";
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.Icd10CmOrder, new StringReader(text), "icd10cm_order_2025.txt").ToList());
        Assert.Equal("ICD-10-CM order file icd10cm_order_2025.txt, " + expected, error.Message);
    }

    [Fact]
    public void A_french_lexicon_from_an_english_only_file_is_refused_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => TerminologyImport.Read(TerminologyFormat.Icd10CmOrder, "icd10cm_order_2025.txt", new TerminologyOptions { Language = Language.French }));
        Assert.StartsWith("Language French is not in Icd10CmOrder files: they are English only", error.Message, StringComparison.Ordinal);
    }
}
