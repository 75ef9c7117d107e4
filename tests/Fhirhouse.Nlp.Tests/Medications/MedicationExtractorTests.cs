using System.Globalization;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Medications;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Tests.Medications;

/// <summary>Drugs and their dosage read from French and English prescriptions and notes, and what is not a dosage.</summary>
public sealed class MedicationExtractorTests
{
    private static readonly MedicationExtractor s_french = MedicationExtractor.Shipped(Language.French);
    private static readonly MedicationExtractor s_english = MedicationExtractor.Shipped(Language.English);

    private static IReadOnlyList<MedicationMention> Read(string text, Language language = Language.French) =>
        (language == Language.French ? s_french : s_english).Extract(Tokenizer.Tokenize(text), text);

    private static MedicationMention One(string text, Language language = Language.French) => Assert.Single(Read(text, language));

    /// <summary>drug | strength | dose quantity | route | timing | duration | prn | status, each "-" when absent.</summary>
    private static string Summary(MedicationMention m) => string.Join(" | ",
        m.Drug.Concept.Id,
        Quantity(m.Strength),
        Quantity(m.DoseQuantity),
        m.Route?.Code ?? "-",
        m.Timing is { } t ? $"{t.Frequency}/{Number(t.Period)}{t.PeriodUnit}{(t.When.Count > 0 ? " " + string.Join(",", t.When) : "")}" : "-",
        Quantity(m.Duration),
        m.AsNeeded ? "prn" + (m.AsNeededFor is { } why ? ":" + why : "") : "-",
        m.Status.ToString());

    private static string Quantity(MedicationQuantity? q) => q is null ? "-" : $"{Number(q.Value)} {q.Unit}";

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    [Fact]
    public void The_issues_example_is_a_dose_twice_a_day()
    {
        const string text = "Traitement : metformine 850 mg 2 fois par jour.";
        var metformin = One(text);
        Assert.Equal("metformin | 850 mg | 850 mg | - | 2/1d | - | - | Active", Summary(metformin));
        Assert.Equal("metformine 850 mg 2 fois par jour", metformin.Text);
        Assert.Equal(("850 mg", "2 fois par jour"), (metformin.Strength!.Text, metformin.Timing!.Text));
        Assert.Contains(new Coding("http://www.whocc.no/atc", "A10BA02"), metformin.Drug.Concept.Codes);
    }

    [Theory]
    [InlineData("Metformine 1000 mg 1 cp matin et soir", "metformin | 1000 mg | 1 {tbl} | - | 2/1d MORN,EVE | - | - | Active")]
    [InlineData("Doliprane 1 g per os toutes les 6 heures si douleur", "paracetamol | 1 g | 1 g | 26643006 | 1/6h | - | prn:douleur | Active")]
    [InlineData("paracétamol 500mg 2 cp x3/j si fièvre", "paracetamol | 500 mg | 2 {tbl} | - | 3/1d | - | prn:fièvre | Active")]
    [InlineData("amoxicilline 1 g x 3/j pendant 7 jours", "amoxicillin | 1 g | 1 g | - | 3/1d | 7 d | - | Active")]
    [InlineData("Amoxicilline 1g 3x/j x 5j", "amoxicillin | 1 g | 1 g | - | 3/1d | 5 d | - | Active")]
    [InlineData("Lovenox 4 000 UI SC 1 fois par jour", "enoxaparin | 4000 [iU] | 4000 [iU] | 34206005 | 1/1d | - | - | Active")]
    [InlineData("énoxaparine 0,4 mL en sous-cutané le soir", "enoxaparin | 0.4 mL | 0.4 mL | 34206005 | 1/1d EVE | - | - | Active")]
    [InlineData("Kardégic 75 mg 1 sachet le midi", "aspirin | 75 mg | 1 {sachet} | - | 1/1d NOON | - | - | Active")]
    [InlineData("ramipril 5 mg 1-0-0", "ramipril | 5 mg | 5 mg | - | 1/1d MORN | - | - | Active")]
    [InlineData("metformine 850 mg 1-0-1", "metformin | 850 mg | 850 mg | - | 2/1d MORN,EVE | - | - | Active")]
    [InlineData("Levothyrox 75 µg le matin à jeun", "levothyroxine | 75 ug | 75 ug | - | 1/1d MORN | - | - | Active")]
    [InlineData("furosémide 40 mg IV", "furosemide | 40 mg | 40 mg | 47625008 | - | - | - | Active")]
    [InlineData("morphine 5 mg sous-cutané toutes les 4 h si besoin", "morphine | 5 mg | 5 mg | 34206005 | 1/4h | - | prn | Active")]
    [InlineData("Ventoline 2 bouffées en inhalation si gêne respiratoire", "salbutamol | - | 2 {puff} | 447694001 | - | - | prn:gêne respiratoire | Active")]
    [InlineData("prednisone 20 mg/j pendant 5 jours", "prednisone | - | - | - | - | 5 d | - | Active")]
    [InlineData("Cortancyl 1/2 cp le matin", "prednisone | - | 0.5 {tbl} | - | 1/1d MORN | - | - | Active")]
    [InlineData("Arrêt de la metformine.", "metformin | - | - | - | - | - | - | Stopped")]
    [InlineData("metformine arrêtée devant l'insuffisance rénale", "metformin | - | - | - | - | - | - | Stopped")]
    [InlineData("atorvastatine 40 mg au coucher", "atorvastatin | 40 mg | 40 mg | - | 1/1d HS | - | - | Active")]
    [InlineData("insuline 10 UI en cas d'hyperglycémie", "insulin | 10 [iU] | 10 [iU] | - | - | - | prn:hyperglycémie | Active")]
    [InlineData("bisoprolol 2,5 mg par jour", "bisoprolol | - | - | - | - | - | - | Active")]
    [InlineData("oméprazole 20 mg 1 gélule le soir", "omeprazole | 20 mg | 1 {capsule} | - | 1/1d EVE | - | - | Active")]
    [InlineData("metformine 500 mg x2/j voie orale", "metformin | 500 mg | 500 mg | 26643006 | 2/1d | - | - | Active")]
    [InlineData("Eliquis 2,5 mg 1 cp/j", "apixaban | 2.5 mg | 1 {tbl} | - | 1/1d | - | - | Active")]
    [InlineData("Tahor 20 mg : 1 comprimé par jour, le soir", "atorvastatin | 20 mg | 1 {tbl} | - | 1/1d EVE | - | - | Active")]
    [InlineData("salbutamol 2 bouffées 4 fois par jour si besoin", "salbutamol | - | 2 {puff} | - | 4/1d | - | prn | Active")]
    [InlineData("Lovenox 0,4 mL sous-cutané pendant 10 j", "enoxaparin | 0.4 mL | 0.4 mL | 34206005 | - | 10 d | - | Active")]
    [InlineData("amoxicilline 1 g toutes les 8 heures pendant 1 semaine", "amoxicillin | 1 g | 1 g | - | 1/8h | 1 wk | - | Active")]
    [InlineData("metformine 2 fois par jour, matin et soir", "metformin | - | - | - | 2/1d MORN,EVE | - | - | Active")]
    [InlineData("metformine 500 mg le matin et 1000 mg le soir", "metformin | 500 mg | 500 mg | - | 1/1d MORN | - | - | Active")]
    [InlineData("apixaban 5 mg deux fois par jour", "apixaban | 5 mg | 5 mg | - | 2/1d | - | - | Active")]
    public void French_dosages_read_into_dose_route_timing_and_duration(string text, string expected) => Assert.Equal(expected, Summary(One(text)));

    [Theory]
    [InlineData("metformin 500 mg PO BID", "metformin | 500 mg | 500 mg | 26643006 | 2/1d | - | - | Active")]
    [InlineData("Tylenol 650 mg po q6h prn pain", "paracetamol | 650 mg | 650 mg | 26643006 | 1/6h | - | prn:pain | Active")]
    [InlineData("acetaminophen 1 g every 8 hours as needed for pain", "paracetamol | 1 g | 1 g | - | 1/8h | - | prn:pain | Active")]
    [InlineData("amoxicillin 875 mg 1 tab twice daily for 10 days", "amoxicillin | 875 mg | 1 {tbl} | - | 2/1d | 10 d | - | Active")]
    [InlineData("atorvastatin 40 mg qhs", "atorvastatin | 40 mg | 40 mg | - | 1/1d HS | - | - | Active")]
    [InlineData("aspirin 81 mg daily", "aspirin | 81 mg | 81 mg | - | 1/1d | - | - | Active")]
    [InlineData("albuterol 2 puffs inhaled q4h PRN", "salbutamol | - | 2 {puff} | 447694001 | 1/4h | - | prn | Active")]
    [InlineData("insulin 10 units subcutaneously at bedtime", "insulin | 10 [iU] | 10 [iU] | 34206005 | 1/1d HS | - | - | Active")]
    [InlineData("ibuprofen 400 mg TID with food", "ibuprofen | 400 mg | 400 mg | - | 3/1d | - | - | Active")]
    [InlineData("prednisone 40 mg once a day for 5 days", "prednisone | 40 mg | 40 mg | - | 1/1d | 5 d | - | Active")]
    [InlineData("warfarin was discontinued", "warfarin | - | - | - | - | - | - | Stopped")]
    [InlineData("stopped clopidogrel last week", "clopidogrel | - | - | - | - | - | - | Stopped")]
    [InlineData("ASA 81 mg PO once daily, discontinued", "aspirin | 81 mg | 81 mg | 26643006 | 1/1d | - | - | Stopped")]
    [InlineData("amoxicillin 500 mg q8h x 7 days", "amoxicillin | 500 mg | 500 mg | - | 1/8h | 7 d | - | Active")]
    [InlineData("Lasix 40 mg IV b.i.d.", "furosemide | 40 mg | 40 mg | 47625008 | 2/1d | - | - | Active")]
    public void English_dosages_read_into_dose_route_timing_and_duration(string text, string expected) =>
        Assert.Equal(expected, Summary(One(text, Language.English)));

    [Fact]
    public void A_daily_total_is_its_own_quantity()
    {
        var prednisone = One("prednisone 20 mg/j pendant 5 jours");
        Assert.Equal((20m, "mg/d", "20 mg/j"), (prednisone.DailyDose!.Value, prednisone.DailyDose.Unit, prednisone.DailyDose.Text));
        var doliprane = One("Doliprane 1 g si douleur, max 4 g/j");
        Assert.Equal(("1 g", null), (doliprane.Strength!.Text, doliprane.DailyDose));
        Assert.Equal("Doliprane 1 g si douleur", doliprane.Text);
    }

    [Fact]
    public void Each_drug_keeps_its_own_dosage_in_a_list()
    {
        const string text = "Traitement de sortie : metformine 850 mg matin et soir, ramipril 5 mg le matin, Doliprane 1 g si besoin.";
        var drugs = Read(text);
        Assert.Equal(
            [
                "metformin | 850 mg | 850 mg | - | 2/1d MORN,EVE | - | - | Active",
                "ramipril | 5 mg | 5 mg | - | 1/1d MORN | - | - | Active",
                "paracetamol | 1 g | 1 g | - | - | - | prn | Active",
            ],
            drugs.Select(Summary));
    }

    [Fact]
    public void A_prescription_on_several_lines_reads_each_line_alone()
    {
        const string text = "1) Metformine 850 mg : 1 cp matin et soir\n2) Amlodipine 5 mg : 1 cp le soir\nRevoir dans 3 mois.";
        var drugs = Read(text);
        Assert.Equal(["2/1d MORN,EVE", "1/1d EVE"], drugs.Select(d => $"{d.Timing!.Frequency}/{Number(d.Timing.Period)}{d.Timing.PeriodUnit} {string.Join(",", d.Timing.When)}"));
        Assert.All(drugs, d => Assert.Null(d.Duration));
    }

    [Theory]
    [InlineData("metformine. Mariée, 2 enfants, G2P1.")]
    [InlineData("metformine depuis 2019, à 50 ans, revue le 12/03/2024")]
    [InlineData("aspirine ; 3 mois plus tard, tél 06 12 34 56 78")]
    [InlineData("metformine\n2 enfants\n3 comprimés de sucre")]
    public void Counts_dates_and_ages_near_a_drug_are_not_its_dosage(string text)
    {
        var drug = One(text);
        Assert.Equal((null, null, null, null, null), (drug.Strength, drug.DoseQuantity, drug.Timing, drug.Duration, drug.Route));
    }

    [Fact]
    public void The_drug_spans_of_the_annotator_can_be_given()
    {
        const string text = "Sous metformine 850 mg 2 fois par jour.";
        var tokens = Tokenizer.Tokenize(text);
        var drugs = ConceptLexicon.Shipped(Language.French).Find(tokens, text);
        var metformin = Assert.Single(s_french.Extract(tokens, text, drugs));
        Assert.Equal(2, metformin.Timing!.Frequency);
        Assert.Empty(s_french.Extract(tokens, text, []));
    }

    [Fact]
    public void The_versions_name_the_lexicon_and_the_dosage_terms() =>
        Assert.Equal("lexicon-fr.tsv 2026-12-03b, dosage-terms.tsv 2026-12-02", s_french.Version);
}
