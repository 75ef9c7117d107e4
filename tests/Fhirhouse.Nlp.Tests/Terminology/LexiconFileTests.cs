using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;
using Xunit.Abstractions;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class LexiconFileTests(ITestOutputHelper output)
{
    private static List<TerminologyTerm> Imported(Language language) =>
    [
        .. TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(SnomedDescriptionFileTests.File), "sct2_Description_Snapshot-en_INT_20250101.txt", new TerminologyOptions { Language = language }),
        .. TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(UmlsConceptFileTests.File), "MRCONSO.RRF", new TerminologyOptions { Language = language }),
        .. language == Language.English
            ? TerminologyImport.Read(TerminologyFormat.LoincTable, new StringReader(LoincTableTests.File), "Loinc.csv")
            : TerminologyImport.Read(TerminologyFormat.AtihCim10, new StringReader(AtihCim10FileTests.File), "LIBCIM10MULTI.TXT"),
    ];

    [Theory]
    [InlineData(Language.English)]
    [InlineData(Language.French)]
    public void A_written_lexicon_parses_back_to_the_same_concepts_and_terms(Language language)
    {
        var terms = Imported(language);
        var built = ConceptLexicon.Build("hospital 2025-01", terms);
        var writer = new StringWriter();
        var written = LexiconFile.Write(writer, "2025-01", terms, comment: "Imported from the hospital's licensed release files.");
        var parsed = ConceptLexicon.Parse("hospital.tsv", writer.ToString());

        Assert.Equal(terms.Count, written);
        Assert.Equal("hospital.tsv 2025-01", parsed.Version);
        Assert.Equal(built.TermCount, parsed.TermCount);
        Assert.Equal(built.Concepts.Keys.Order(), parsed.Concepts.Keys.Order());
        foreach (var (id, concept) in built.Concepts)
        {
            var back = parsed.Concepts[id];
            Assert.Equal((concept.Display, concept.Kind), (back.Display, back.Kind));
            Assert.Equal(concept.Codes, back.Codes);
        }
    }

    [Fact]
    public void Systems_are_written_by_short_name_or_uri()
    {
        var writer = new StringWriter();
        LexiconFile.Write(writer, "1", [new TerminologyTerm("type 2 diabetes", "umls:C0011860", ConceptKind.Condition, "Type 2 diabetes mellitus",
            [new("http://www.nlm.nih.gov/research/umls", "C0011860"), new("http://snomed.info/sct", "44054006"), new("http://hl7.org/fhir/sid/icd-10-cm", "E11.9"), new("urn:umls:sab:MSH", "D003924")])]);

        Assert.Equal("# version 1\ntype 2 diabetes\tumls:C0011860\tCondition\tType 2 diabetes mellitus\tumls|C0011860 sct|44054006 icd10cm|E11.9 urn:umls:sab:MSH|D003924\n", writer.ToString());
        var parsed = ConceptLexicon.Parse("x.tsv", writer.ToString());
        Assert.Contains(new Coding("urn:umls:sab:MSH", "D003924"), parsed.Concepts["umls:C0011860"].Codes);
    }

    [Theory]
    [InlineData("type 2\tdiabetes", "Type 2 diabetes mellitus", "44054006")]
    [InlineData("# diabetes", "Type 2 diabetes mellitus", "44054006")]
    [InlineData("type 2 diabetes", "Type 2\ndiabetes", "44054006")]
    [InlineData("type 2 diabetes", "Type 2 diabetes mellitus", "44054 006")]
    public void A_term_that_would_not_read_back_is_refused(string term, string display, string code)
    {
        var terms = new[] { new TerminologyTerm(term, "sct:44054006", ConceptKind.Condition, display, [new("http://snomed.info/sct", code)]) };
        Assert.Throws<ArgumentException>(() => LexiconFile.Write(new StringWriter(), "1", terms));
    }

    [Fact]
    public void A_concepts_codes_are_the_union_of_its_lines_and_its_kind_and_display_the_first_lines()
    {
        var lexicon = ConceptLexicon.Parse("mine.tsv",
            "high blood pressure\thtn\tCondition\tHypertension\tsct|38341003\nHTN\thtn\tFinding\tHTN\tsct|38341003 icd10|I10 http://example.org/codes|7\n");

        var htn = lexicon.Concepts["htn"];
        Assert.Equal((ConceptKind.Condition, "Hypertension"), (htn.Kind, htn.Display));
        Assert.Equal([new Coding("http://snomed.info/sct", "38341003"), new Coding("http://hl7.org/fhir/sid/icd-10", "I10"), new Coding("http://example.org/codes", "7")], htn.Codes);
    }

    [Fact]
    public void An_unknown_short_system_is_named()
    {
        var error = Assert.Throws<FormatException>(() => ConceptLexicon.Parse("mine.tsv", "fever\tfever\tSymptom\tFever\tmesh|D005334\n"));
        Assert.Equal("Lexicon mine.tsv, line 1: code 'mesh|D005334' is not system|code with a system of sct, icd10, icd10cm, atc, loinc, umls or an absolute URI.", error.Message);
    }

    [Theory]
    [InlineData("/data/icd10cm_order_2025.txt", TerminologyFormat.Icd10CmOrder)]
    [InlineData("sct2_Description_Snapshot-en_INT_20250101.txt", TerminologyFormat.SnomedDescriptions)]
    [InlineData("META/MRCONSO.RRF", TerminologyFormat.UmlsConcepts)]
    [InlineData("LoincTable/Loinc.csv", TerminologyFormat.LoincTable)]
    [InlineData("CIM_ATIH_2025/LIBCIM10MULTI.TXT", TerminologyFormat.AtihCim10)]
    [InlineData("notes.txt", null)]
    public void The_format_is_guessed_from_the_release_files_name(string path, TerminologyFormat? expected) =>
        Assert.Equal(expected, TerminologyImport.Guess(path));

    /// <summary>Not a benchmark: the order of magnitude of a hospital-sized lexicon's memory, printed and bounded.</summary>
    [Fact]
    public void A_lexicon_of_100k_terms_takes_tens_of_megabytes()
    {
        const int Count = 100_000;
        var random = new Random(20250101);
        var words = Enumerable.Range(0, 30_000).Select(_ => new string(Enumerable.Range(0, random.Next(4, 13)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
        var terms = new List<TerminologyTerm>(Count);
        for (var k = 0; k < Count; k++)
        {
            var term = string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => words[random.Next(words.Length)]));
            terms.Add(new TerminologyTerm(term, "sct:" + k, ConceptKind.Condition, term, [new("http://snomed.info/sct", k.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var lexicon = ConceptLexicon.Build("synthetic", terms);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var mib = (after - before) / (1024.0 * 1024.0);
        output.WriteLine($"{lexicon.TermCount} terms, {lexicon.Concepts.Count} concepts: {mib:F1} MiB");

        Assert.Equal((Count, Count), (lexicon.TermCount, lexicon.Concepts.Count));
        Assert.InRange(mib, 1, 400);
        GC.KeepAlive(terms);
    }
}
