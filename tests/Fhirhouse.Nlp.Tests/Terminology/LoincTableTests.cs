using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;
using Fhirhouse.Testing;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class LoincTableTests
{
    private const string Name = "Loinc.csv";
    private const string Header = "\"LOINC_NUM\",\"COMPONENT\",\"PROPERTY\",\"TIME_ASPCT\",\"SYSTEM\",\"SCALE_TYP\",\"METHOD_TYP\",\"CLASS\",\"DefinitionDescription\",\"STATUS\",\"CLASSTYPE\",\"RELATEDNAMES2\",\"SHORTNAME\",\"LONG_COMMON_NAME\",\"DisplayName\"";

    internal static readonly string File = string.Join("\r\n",
        Header,
        "\"2345-7\",\"Glucose\",\"MCnc\",\"Pt\",\"Ser/Plas\",\"Qn\",,\"CHEM\",,\"ACTIVE\",\"1\",\"Glu; Gluc; \"\"sugar\"\", blood; Serum, plasma\",\"Glucose SerPl-mCnc\",\"Glucose [Mass/volume] in Serum or Plasma\",\"Glucose, SerPl\"",
        "\"4548-4\",\"Hemoglobin A1c/Hemoglobin.total\",\"MFr\",\"Pt\",\"Bld\",\"Qn\",,\"CHEM\",\"Glycated haemoglobin,\r\nas a fraction of total haemoglobin\",\"ACTIVE\",\"1\",\"A1c; HbA1c\",\"Hgb A1c MFr Bld\",\"Hemoglobin A1c/Hemoglobin.total in Blood\",\"Hemoglobin A1c\"",
        "\"8480-6\",\"Intravascular systolic\",\"Pres\",\"Pt\",\"Arterial system\",\"Qn\",,\"BP.ATOM\",,\"ACTIVE\",\"2\",\"SBP\",\"BP sys\",\"Systolic blood pressure\",\"BP systolic\"",
        "\"35128-8\",\"Glucose\",\"MCnc\",\"Pt\",\"Urine\",\"Qn\",\"Test strip\",\"UA\",,\"DEPRECATED\",\"1\",,\"Glucose Ur Strip-mCnc\",\"Glucose [Mass/volume] in Urine by Old strip\",",
        "\"99999-2\",\"Ketones\",\"ACnc\",\"Pt\",\"Urine\",\"Ord\",,\"UA\",,\"DISCOURAGED\",\"1\",,\"Ketones Ur Ql\",\"Ketones in Urine by Discouraged method\",",
        "");

    [Fact]
    public void Active_codes_match_by_their_names_and_deprecated_ones_do_not()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, Name);
        System.IO.File.WriteAllText(path, File);
        var terms = TerminologyImport.Read(TerminologyFormat.LoincTable, path).ToList();
        var lexicon = new ImportedLexicon(terms, Language.English);

        var glucose = lexicon.Only("Glucose in serum or plasma 1.2 g/L.", "loinc:2345-7");
        Assert.Equal([new Coding("http://loinc.org", "2345-7")], glucose.Concept.Codes);
        Assert.Equal((ConceptKind.Measurement, "Glucose [Mass/volume] in Serum or Plasma"), (glucose.Concept.Kind, glucose.Concept.Display));
        Assert.Equal(["loinc:4548-4", "loinc:8480-6"], lexicon.Ids("Hemoglobin A1c 7.2 %, systolic blood pressure 150 mmHg."));
        Assert.Equal(["loinc:2345-7"], lexicon.Ids("Glucose, SerPl: 5.4 mmol/L."));
        Assert.Empty(lexicon.Ids("Glucose in urine by old strip. Ketones in urine by discouraged method."));
        Assert.Equal(
            ["Glucose [Mass/volume] in Serum or Plasma", "Glucose in Serum or Plasma", "Glucose SerPl-mCnc", "Glucose, SerPl"],
            terms.Where(t => t.ConceptId == "loinc:2345-7").Select(t => t.Term));
    }

    [Fact]
    public void Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var records = new CsvRecords(new StringReader(File), "LOINC table", Name);
        Assert.Equal("LOINC_NUM", records.Next()![0]);
        var glucose = records.Next()!;
        Assert.Equal((15, "Glu; Gluc; \"sugar\", blood; Serum, plasma", ""), (glucose.Count, glucose[11], glucose[6]));
        var a1c = records.Next()!;
        Assert.Equal((3L, "Glycated haemoglobin,\nas a fraction of total haemoglobin"), (records.Line, a1c[8]));
        var pressure = records.Next()!;
        Assert.Equal((5L, "8480-6"), (records.Line, pressure[0]));
    }

    [Theory]
    [InlineData("\"2345-7\",Glu\"cose,\"MCnc\"", "line 3: field 2 has a quote inside an unquoted value.")]
    [InlineData("\"2345-7\",\"Glucose\"x,\"MCnc\"", "line 3: field 2 has text after its closing quote.")]
    [InlineData("\"2345-7\",\"Glucose\",\"MCnc\"", "line 3: 3 fields; the header has 15.")]
    [InlineData("\"2345\",\"Glucose\",\"MCnc\",\"Pt\",\"Ser/Plas\",\"Qn\",,\"CHEM\",,\"ACTIVE\",\"1\",,\"Glucose SerPl-mCnc\",\"Glucose [Mass/volume] in Serum or Plasma\",", "line 3: LOINC_NUM is not a LOINC code (digits, '-', a check digit).")]
    [InlineData("\"2345-7\",\"Glucose", "line 3: a quoted field is not closed by the end of the file.")]
    public void A_malformed_record_is_named(string bad, string expected)
    {
        var text = string.Join("\n", File.Split("\r\n")[..2]) + "\n" + bad + "\n";
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.LoincTable, new StringReader(text), Name).ToList());
        Assert.Equal($"LOINC table {Name}, {expected}", error.Message);
    }

    [Fact]
    public void A_table_without_a_long_common_name_column_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.LoincTable, new StringReader("LOINC_NUM,STATUS\n2345-7,ACTIVE\n"), Name).ToList());
        Assert.Equal($"LOINC table {Name}, line 1: the header has no LONG_COMMON_NAME column.", error.Message);
    }
}
