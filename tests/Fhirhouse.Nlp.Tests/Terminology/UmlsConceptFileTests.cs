using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class UmlsConceptFileTests
{
    private const string Name = "MRCONSO.RRF";

    private static string Row(string cui, string lat, string ts, string stt, string ispref, string aui, string sab, string tty, string code, string str, string suppress = "N") =>
        $"{cui}|{lat}|{ts}|L{cui[1..]}|{stt}|S{aui[1..]}|{ispref}|{aui}|||{(sab == "MSH" || sab == "MSHFRE" ? code : "")}|{sab}|{tty}|{code}|{str}|0|{suppress}|256|";

    internal static readonly string File = string.Join("\n",
        Row("C0011860", "ENG", "P", "PF", "Y", "A0058373", "MTH", "PN", "NOCODE", "Diabetes Mellitus, Non-Insulin-Dependent"),
        Row("C0011860", "ENG", "S", "PF", "Y", "A2878235", "SNOMEDCT_US", "PT", "44054006", "Type 2 diabetes mellitus"),
        Row("C0011860", "ENG", "S", "VO", "Y", "A17960612", "ICD10CM", "PT", "E11", "Type 2 diabetes mellitus"),
        Row("C0011860", "ENG", "S", "PF", "N", "A0441150", "MSH", "MH", "D003924", "Diabetes Mellitus, Type 2"),
        Row("C0011860", "ENG", "S", "VO", "N", "A2878999", "SNOMEDCT_US", "SY", "313436004", "Adult-onset diabetes", suppress: "O"),
        Row("C0011860", "ENG", "S", "VO", "N", "A0070001", "NCI", "AB", "C26747", "T2DM"),
        Row("C0011860", "FRE", "P", "PF", "Y", "A13430009", "MSHFRE", "MH", "D003924", "Diabète de type 2"),
        Row("C0011860", "FRE", "S", "PF", "Y", "A13430010", "MDRFRE", "PT", "10067585", "Diabète sucré de type 2"),
        Row("C0020538", "ENG", "P", "PF", "Y", "A0068874", "MSH", "MH", "D006973", "Hypertension"),
        Row("C0020538", "ENG", "S", "PF", "N", "A3017009", "SNOMEDCT_US", "PT", "38341003", "Hypertensive disorder"),
        Row("C0020538", "ENG", "S", "VO", "N", "A2874848", "ICD10", "PT", "I10", "Essential (primary) hypertension", suppress: "E"),
        Row("C0020538", "ENG", "S", "VO", "N", "A0068875", "CHV", "SY", "1", "HBP"),
        Row("C0020538", "ENG", "S", "VO", "N", "A0068876", "CHV", "SY", "2", "3"),
        Row("C0004096", "ENG", "P", "PF", "Y", "A0022832", "MSH", "MH", "D001249", "Asthma"),
        Row("C0004096", "ENG", "S", "PF", "N", "A0022833", "LNC", "LA", "LA10558-1", "Asthma"),
        "");

    [Fact]
    public void Names_of_the_language_match_with_the_codes_of_every_source()
    {
        var lexicon = new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(File), Name), Language.English);

        var t2dm = lexicon.Only("History of type 2 diabetes mellitus.", "umls:C0011860");
        Assert.Equal((ConceptKind.Condition, "Diabetes Mellitus, Non-Insulin-Dependent"), (t2dm.Concept.Kind, t2dm.Concept.Display));
        Assert.Equal(
            [
                new Coding("http://www.nlm.nih.gov/research/umls", "C0011860"),
                new Coding("http://snomed.info/sct", "44054006"),
                new Coding("http://hl7.org/fhir/sid/icd-10-cm", "E11"),
                new Coding("urn:umls:sab:MSH", "D003924"),
                new Coding("urn:umls:sab:NCI", "C26747"),
                new Coding("urn:umls:sab:MSHFRE", "D003924"),
                new Coding("urn:umls:sab:MDRFRE", "10067585"),
            ],
            t2dm.Concept.Codes);
        Assert.Equal(["umls:C0011860", "umls:C0020538"], lexicon.Ids("T2DM and HBP."));
        Assert.DoesNotContain(new Coding("http://hl7.org/fhir/sid/icd-10", "I10"), lexicon.Lexicon.Concepts["umls:C0020538"].Codes);
        Assert.Contains(new Coding("http://loinc.org", "LA10558-1"), lexicon.Lexicon.Concepts["umls:C0004096"].Codes);
    }

    [Fact]
    public void Suppressed_names_and_names_without_a_word_are_left_out()
    {
        var terms = TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(File), Name).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        Assert.DoesNotContain(terms, t => t.Term is "Adult-onset diabetes" or "Essential (primary) hypertension" or "Essential hypertension" or "3");
        Assert.Empty(lexicon.Ids("Adult-onset diabetes."));
        Assert.DoesNotContain(new Coding("http://snomed.info/sct", "313436004"), lexicon.Lexicon.Concepts["umls:C0011860"].Codes);
    }

    [Fact]
    public void The_sources_filter_decides_the_terms_not_the_codes()
    {
        var options = new TerminologyOptions { Sources = ["SNOMEDCT_US"], DefaultKind = ConceptKind.Finding };
        var terms = TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(File), Name, options).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        Assert.Equal(["Type 2 diabetes mellitus", "Hypertensive disorder"], terms.Select(t => t.Term));
        Assert.Empty(lexicon.Ids("Diabetes mellitus, type 2. Hypertension."));
        Assert.Equal(ConceptKind.Finding, lexicon.Lexicon.Concepts["umls:C0011860"].Kind);
        Assert.Equal("Type 2 diabetes mellitus", lexicon.Lexicon.Concepts["umls:C0011860"].Display);
        Assert.Contains(new Coding("urn:umls:sab:MSH", "D003924"), lexicon.Lexicon.Concepts["umls:C0011860"].Codes);
    }

    [Fact]
    public void A_french_lexicon_takes_the_french_names_and_the_english_rows_codes()
    {
        var options = new TerminologyOptions { Language = Language.French };
        var lexicon = new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(File), Name, options), Language.French);

        var t2dm = lexicon.Only("Pas de diabète sucré de type 2.", "umls:C0011860");
        Assert.Equal((Negation.Negated, "Diabète de type 2"), (t2dm.Assertion.Negation, t2dm.Concept.Display));
        Assert.Contains(new Coding("http://snomed.info/sct", "44054006"), t2dm.Concept.Codes);
        Assert.Single(lexicon.Lexicon.Concepts);
    }

    [Theory]
    [InlineData("C0011860|ENG|P|L0011860|PF|S0035322|Y|A0058373||||MTH|PN|NOCODE|Diabetes|0|N|", "17 fields; expected 18, each ended by '|'.")]
    [InlineData("C0011860|ENG|P|L0011860|PF|S0035322|Y|A0058373||||MTH|PN|NOCODE|Diabetes|0|N|256", "field 18 is not ended by '|'.")]
    [InlineData("C0011860|ENG|P|L0011860|PF|S0035322|Y|A0058373||||MTH|PN|NOCODE|Diabetes|0|N|256||", "19 fields; expected 18, each ended by '|'.")]
    [InlineData("0011860|ENG|P|L0011860|PF|S0035322|Y|A0058373||||MTH|PN|NOCODE|Diabetes|0|N|256|", "CUI (field 1) is not C followed by digits.")]
    public void A_malformed_line_is_named(string bad, string expected)
    {
        var text = File.Split('\n')[0] + "\n" + bad + "\n";
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(text), Name).ToList());
        Assert.Equal($"UMLS MRCONSO file {Name}, line 2: {expected}", error.Message);
    }

    [Fact]
    public void An_empty_sources_filter_is_refused_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => TerminologyImport.Read(TerminologyFormat.UmlsConcepts, new StringReader(File), Name, new TerminologyOptions { Sources = [] }));
        Assert.StartsWith("Sources is empty", error.Message, StringComparison.Ordinal);
    }
}
