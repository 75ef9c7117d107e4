using System.Text;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;
using Fhirhouse.Testing;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class AtihCim10FileTests
{
    private const string Name = "LIBCIM10MULTI.TXT";
    private const string Icd10 = "http://hl7.org/fhir/sid/icd-10";

    /// <summary>Lines as in the ATIH kit: code padded to 6, MCO type, SSR profile, PSY type, short and long labels.</summary>
    internal static readonly string File = string.Join("\r\n",
        "E11   |3|NNNN|3|Diabète sucré de type 2|Diabète sucré de type 2",
        "E110  |0|OOOO|0|Diab sucré type 2, avec coma|Diabète sucré de type 2, avec coma",
        "E119  |0|OOOO|0|Diab sucré type 2, sans complication|Diabète sucré de type 2, sans complication",
        "I10   |0|OOOO|0|Hypertension essentielle (primitive)|Hypertension essentielle (primitive)",
        "R060  |0|NONO|1|Dyspnée|Dyspnée",
        "R609  |0|NONO|1|Œdème, sans précision|Œdème, sans précision",
        "T08+0 |0|OOOO|0|Fract rachis, niv non précisé, fermée|Fracture du rachis, niveau non précisé, fermée",
        "");

    private static ImportedLexicon Load(Encoding encoding, TerminologyOptions? options = null)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, Name);
        System.IO.File.WriteAllBytes(path, encoding.GetBytes(File));
        return new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.AtihCim10, path, options).ToList(), Language.French);
    }

    [Fact]
    public void A_windows_1252_file_matches_with_its_accents_and_ligatures()
    {
        var lexicon = Load(TerminologyImport.Windows1252);

        var t2dm = lexicon.Only("Diabète sucré de type 2, sans complication.", "cim10:E11.9");
        Assert.Equal([new Coding(Icd10, "E11.9")], t2dm.Concept.Codes);
        Assert.Equal((ConceptKind.Condition, "Diabète sucré de type 2, sans complication"), (t2dm.Concept.Kind, t2dm.Concept.Display));
        var edema = lexicon.Only("Pas d'œdème des membres inférieurs.", "cim10:R60.9");
        Assert.Equal((ConceptKind.Symptom, Negation.Negated, "œdème"), (edema.Concept.Kind, edema.Assertion.Negation, edema.Text));
        Assert.Equal(["cim10:I10", "cim10:R06.0"], lexicon.Ids("Hypertension essentielle connue, dyspnée d'effort."));
        Assert.Equal([new Coding(Icd10, "T08+0")], lexicon.Lexicon.Concepts["cim10:T08+0"].Codes);
    }

    [Fact]
    public void A_utf8_file_reads_the_same()
    {
        var lexicon = Load(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Assert.Equal("Œdème, sans précision", lexicon.Lexicon.Concepts["cim10:R60.9"].Display);
        Assert.Equal(6, lexicon.Lexicon.Concepts.Count);
    }

    [Fact]
    public void Categories_not_valid_for_coding_come_only_when_asked()
    {
        Assert.Empty(Load(TerminologyImport.Windows1252).Ids("Diabète sucré de type 2."));
        var lexicon = Load(TerminologyImport.Windows1252, new TerminologyOptions { IncludeCategories = true });
        Assert.Equal(["cim10:E11"], lexicon.Ids("Diabète sucré de type 2."));
    }

    [Fact]
    public void The_older_four_field_layout_reads_too()
    {
        var text = "E119|0|Diab sucré type 2, sans complication|Diabète sucré de type 2, sans complication\n";
        var lexicon = new ImportedLexicon(TerminologyImport.Read(TerminologyFormat.AtihCim10, new StringReader(text), "LIBCIM10.TXT"), Language.French);
        Assert.Equal(["cim10:E11.9"], lexicon.Ids("Diabète sucré de type 2, sans complication."));
    }

    [Theory]
    [InlineData("E119  |0|Diabète sucré de type 2", "line 2: 3 fields; expected code|type|...|short label|long label (at least 4 fields separated by '|').")]
    [InlineData("E11.9 |0|OOOO|0|Diabète|Diabète sucré", "line 2: the code (field 1) is not a CIM-10 code (a letter, then 2 to 6 letters, digits or '+', no dot).")]
    [InlineData("E119  |0|OOOO|0| | ", "line 2: both labels (fields 5 and 6) are empty.")]
    public void A_malformed_line_is_named(string bad, string expected)
    {
        var text = "I10   |0|OOOO|0|Hypertension essentielle (primitive)|Hypertension essentielle (primitive)\n" + bad + "\n";
        var error = Assert.Throws<FormatException>(() => TerminologyImport.Read(TerminologyFormat.AtihCim10, new StringReader(text), Name).ToList());
        Assert.Equal($"ATIH CIM-10 file {Name}, {expected}", error.Message);
    }
}
