using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class SnomedDescriptionFileTests
{
    private const string Name = "sct2_Description_Snapshot-en_INT_20250101.txt";
    private const string Header = "id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\tcaseSignificanceId";
    private const string Fsn = "900000000000003001";
    private const string Synonym = "900000000000013009";
    private const string Definition = "900000000000550004";

    private static string Row(long id, string time, int active, long concept, string language, string type, string term) =>
        $"{id}\t{time}\t{active}\t900000000000207008\t{concept}\t{language}\t{type}\t{term}\t900000000000448009";

    internal static readonly string File = string.Join("\n",
        Header,
        Row(1000011, "20020131", 1, 44054006, "en", Fsn, "Diabetes mellitus type 2 (disorder)"),
        Row(1000012, "20020131", 1, 44054006, "en", Synonym, "Type 2 diabetes mellitus"),
        Row(1000013, "20020131", 0, 44054006, "en", Synonym, "Type II diabetes"),
        // The same description twice: the later effectiveTime wins whatever the order of the rows.
        Row(1000014, "20170731", 0, 44054006, "en", Synonym, "Maturity onset diabetes"),
        Row(1000014, "20020131", 1, 44054006, "en", Synonym, "Maturity onset diabetes"),
        Row(1000015, "20020131", 1, 44054006, "en", Synonym, "Non-insulin dependent diabetes"),
        Row(1000015, "20210131", 1, 44054006, "en", Synonym, "Non-insulin-dependent diabetes mellitus"),
        Row(1000016, "20220131", 1, 44054006, "fr", Synonym, "diabète de type 2"),
        Row(1000017, "20020131", 1, 44054006, "en", Definition, "A type of diabetes mellitus"),
        Row(1000021, "20020131", 1, 38341003, "en", Fsn, "Hypertensive disorder, systemic arterial (disorder)"),
        Row(1000022, "20020131", 1, 38341003, "en", Synonym, "High blood pressure"),
        Row(1000023, "20020131", 1, 38341003, "en", Synonym, "HT"),
        Row(1000031, "20020131", 1, 49727002, "en", Fsn, "Cough (finding)"),
        Row(1000032, "20020131", 1, 49727002, "en", Synonym, "Cough"),
        Row(1000041, "20020131", 1, 372567009, "en", Fsn, "Metformin (substance)"),
        Row(1000042, "20020131", 1, 372567009, "en", Synonym, "Metformin"),
        Row(1000051, "20020131", 1, 80891009, "en", Fsn, "Heart structure (body structure)"),
        Row(1000052, "20020131", 1, 80891009, "en", Synonym, "Heart"),
        Row(1000061, "20020131", 1, 80146002, "en", Fsn, "Excision of appendix (procedure)"),
        Row(1000062, "20020131", 1, 80146002, "en", Synonym, "Appendectomy"),
        Row(1000071, "20020131", 1, 75367002, "en", Fsn, "Blood pressure (observable entity)"),
        Row(1000072, "20020131", 1, 75367002, "en", Synonym, "BP"),
        Row(1000081, "20020131", 1, 267036007, "fr", Synonym, "dyspnée"),
        "");

    [Fact]
    public void Active_descriptions_of_the_language_match_with_the_kind_of_their_semantic_tag()
    {
        var terms = TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(File), Name).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        var t2dm = lexicon.Only("Known type 2 diabetes mellitus.", "sct:44054006");
        Assert.Equal([new Coding("http://snomed.info/sct", "44054006")], t2dm.Concept.Codes);
        Assert.Equal((ConceptKind.Condition, "Diabetes mellitus type 2"), (t2dm.Concept.Kind, t2dm.Concept.Display));
        Assert.Equal(["sct:38341003", "sct:372567009"], lexicon.Ids("High blood pressure, on metformin."));
        Assert.Equal(Negation.Negated, lexicon.Only("No cough.", "sct:49727002").Assertion.Negation);
        Assert.Equal(ConceptKind.Finding, lexicon.Lexicon.Concepts["sct:49727002"].Kind);
        Assert.Equal(ConceptKind.Procedure, lexicon.Only("Appendectomy in 2010.", "sct:80146002").Concept.Kind);
        Assert.Equal(ConceptKind.Measurement, lexicon.Only("BP 150/95.", "sct:75367002").Concept.Kind);
        Assert.Equal("sct:44054006", lexicon.Only("Diabetes mellitus type 2", "sct:44054006").Concept.Id);
    }

    [Fact]
    public void Inactive_replaced_and_other_descriptions_are_left_out()
    {
        var terms = TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(File), Name).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        Assert.Equal(
            ["Diabetes mellitus type 2", "Type 2 diabetes mellitus", "Non-insulin-dependent diabetes mellitus"],
            terms.Where(t => t.ConceptId == "sct:44054006").Select(t => t.Term));
        Assert.Empty(lexicon.Ids("Type II diabetes. Maturity onset diabetes. Non insulin dependent diabetes. A type of diabetes mellitus."));
        Assert.Empty(lexicon.Ids("Heart sounds normal."));
        Assert.Equal("sct:38341003", Assert.Single(terms, t => t.Term == "HT").ConceptId);
        Assert.DoesNotContain(terms, t => t.ConceptId == "sct:267036007");
    }

    [Fact]
    public void A_french_lexicon_takes_the_french_descriptions_and_the_kind_of_the_english_name()
    {
        var options = new TerminologyOptions { Language = Language.French };
        var lexicon = new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(File), Name, options), Language.French);

        var t2dm = lexicon.Only("Diabète de type 2 connu.", "sct:44054006");
        Assert.Equal((ConceptKind.Condition, "diabète de type 2"), (t2dm.Concept.Kind, t2dm.Concept.Display));
        Assert.Empty(lexicon.Ids("Dyspnée d'effort."));
        Assert.Single(lexicon.Lexicon.Concepts);
    }

    [Fact]
    public void A_concept_without_its_fully_specified_name_takes_the_default_kind_when_given()
    {
        var options = new TerminologyOptions { Language = Language.French, DefaultKind = ConceptKind.Symptom };
        var lexicon = new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(File), Name, options), Language.French);

        var dyspnea = lexicon.Only("Pas de dyspnée.", "sct:267036007");
        Assert.Equal((ConceptKind.Symptom, Negation.Negated), (dyspnea.Concept.Kind, dyspnea.Assertion.Negation));
    }

    [Theory]
    [InlineData(2, "1000011\t20020131\t2\t900000000000207008\t44054006\ten\t900000000000003001\tDiabetes mellitus type 2 (disorder)\t900000000000448009", "active is not 0 or 1.")]
    [InlineData(2, "1000011\t2002-01-31\t1\t900000000000207008\t44054006\ten\t900000000000003001\tDiabetes mellitus type 2 (disorder)\t900000000000448009", "effectiveTime is not a date as YYYYMMDD.")]
    [InlineData(2, "1000011\t20020131\t1\t900000000000207008\tC0011860\ten\t900000000000003001\tDiabetes mellitus type 2 (disorder)\t900000000000448009", "conceptId is not a SNOMED CT identifier.")]
    [InlineData(2, "1000011\t20020131\t1\t900000000000207008\t44054006\ten\tDiabetes mellitus type 2 (disorder)", "7 fields; expected the 9 of the header.")]
    public void A_malformed_line_is_named(int line, string bad, string expected)
    {
        var text = Header + "\n" + bad + "\n";
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(text), Name).ToList());
        Assert.Equal($"SNOMED CT description file {Name}, line {line}: {expected}", error.Message);
    }

    [Fact]
    public void A_file_without_the_rf2_header_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.SnomedDescriptions, new StringReader(Row(1, "20020131", 1, 2, "en", Fsn, "X (disorder)")), Name).ToList());
        Assert.StartsWith($"SNOMED CT description file {Name}, line 1: the header is not id<TAB>effectiveTime", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Diabetes mellitus type 2 (disorder)", "Diabetes mellitus type 2", "disorder")]
    [InlineData("Hypertensive disorder, systemic arterial (disorder)", "Hypertensive disorder, systemic arterial", "disorder")]
    [InlineData("Blood pressure (observable entity)", "Blood pressure", "observable entity")]
    [InlineData("Chlamydia (organism) (organism)", "Chlamydia (organism)", "organism")]
    [InlineData("No tag here", "No tag here", null)]
    public void The_semantic_tag_is_the_last_parenthesised_part(string fsn, string term, string? tag) =>
        Assert.Equal((term, tag), SnomedDescriptionFile.WithoutTag(fsn));
}
