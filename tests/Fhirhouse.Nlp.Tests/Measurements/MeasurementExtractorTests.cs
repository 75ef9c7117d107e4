using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Measurements;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Tests.Measurements;

/// <summary>Measurements read by the shipped table from French and English clinical text, and what is not a measurement.</summary>
public sealed class MeasurementExtractorTests
{
    private static readonly MeasurementExtractor s_french = MeasurementExtractor.Shipped(Language.French);
    private static readonly MeasurementExtractor s_english = MeasurementExtractor.Shipped(Language.English);

    private static IReadOnlyList<MeasurementMention> Read(string text, Language language = Language.French) =>
        (language == Language.French ? s_french : s_english).Extract(Tokenizer.Tokenize(text), text);

    private static MeasurementMention One(string text, Language language = Language.French) => Assert.Single(Read(text, language));

    private static string Summary(MeasurementMention m) =>
        $"{m.TestId} {m.Loinc} {m.Comparator}{m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {m.Ucum}"
        + string.Concat(m.Components.Select(c => $" {c.Loinc}={c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    [Fact]
    public void The_issues_example_is_a_blood_pressure_panel_with_its_spans()
    {
        const string text = "Examen : TA 150/95 mmHg, reste normal.";
        var bp = One(text);
        Assert.Equal("bp 85354-9 150 mm[Hg] 8480-6=150 8462-4=95", Summary(bp));
        Assert.Equal("TA 150/95 mmHg", bp.Text);
        Assert.Equal("150/95", text[bp.ValueStart..bp.ValueEnd]);
        Assert.Equal(("mmHg", false, false), (bp.UnitText, bp.UnitImplied, bp.Rescaled));
    }

    [Theory]
    [InlineData("PA 12/8", "bp 85354-9 120 mm[Hg] 8480-6=120 8462-4=80")]
    [InlineData("tension artérielle à 14/9", "bp 85354-9 140 mm[Hg] 8480-6=140 8462-4=90")]
    [InlineData("TA 13,5/8 cmHg", "bp 85354-9 135.0 mm[Hg] 8480-6=135.0 8462-4=80")]
    [InlineData("TA150/90", "bp 85354-9 150 mm[Hg] 8480-6=150 8462-4=90")]
    [InlineData("TA : 160 / 100 mm Hg", "bp 85354-9 160 mm[Hg] 8480-6=160 8462-4=100")]
    public void French_blood_pressure_in_cmHg_is_reported_in_mmHg(string text, string expected)
    {
        var bp = One(text);
        Assert.Equal(expected, Summary(bp));
        Assert.Equal(bp.Components[0].Value != QuantityValue(text, bp), bp.Rescaled);
    }

    private static decimal QuantityValue(string text, MeasurementMention m) =>
        decimal.Parse(text[m.ValueStart..m.ValueEnd].Split('/')[0].Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("FC 88/min", "hr 8867-4 88 /min")]
    [InlineData("pouls 72 bpm", "hr 8867-4 72 /min")]
    [InlineData("FC88 régulière", "hr 8867-4 88 /min")]
    [InlineData("T° 38,5 °C", "temp 8310-5 38.5 Cel")]
    [InlineData("température à 39°", "temp 8310-5 39 Cel")]
    [InlineData("poids 72 kg", "weight 29463-7 72 kg")]
    [InlineData("taille 1,75 m", "height 8302-2 1.75 m")]
    [InlineData("taille 175 cm", "height 8302-2 175 cm")]
    [InlineData("IMC 27,4", "bmi 39156-5 27.4 kg/m2")]
    [InlineData("SpO2 94 %", "spo2 59408-5 94 %")]
    [InlineData("SpO2:94%AA", "spo2 59408-5 94 %")]
    [InlineData("saturation à 96 % en air ambiant", "spo2 59408-5 96 %")]
    [InlineData("FR 22/min", "rr 9279-1 22 /min")]
    [InlineData("glycémie 1,26 g/L", "glucose 2345-7 1.26 g/L")]
    [InlineData("glycémie à jeun 1,10", "glucose 2345-7 1.10 g/L")]
    [InlineData("HbA1c 7,2 %", "hba1c 4548-4 7.2 %")]
    [InlineData("hémoglobine glyquée à 6,9 %", "hba1c 4548-4 6.9 %")]
    [InlineData("HbA1c 7,2", "hba1c 4548-4 7.2 %")]
    [InlineData("créatinine 110 µmol/L", "creatinine 14682-9 110 umol/L")]
    [InlineData("créat 95 umol/l", "creatinine 14682-9 95 umol/L")]
    [InlineData("créatininémie à 12 mg/L", "creatinine 2160-0 12 mg/L")]
    [InlineData("DFG 45 mL/min/1,73m²", "egfr 62238-1 45 mL/min/{1.73_m2}")]
    [InlineData("DFG (MDRD) à 38 ml/min/1.73 m2", "egfr_mdrd 33914-3 38 mL/min/{1.73_m2}")]
    [InlineData("CRP 45 mg/L", "crp 1988-5 45 mg/L")]
    [InlineData("CRP < 5", "crp 1988-5 <5 mg/L")]
    [InlineData("CRP inférieure à 4 mg/l", "crp 1988-5 <4 mg/L")]
    [InlineData("kaliémie 3,2 mmol/L", "potassium 2823-3 3.2 mmol/L")]
    [InlineData("natrémie à 131", "sodium 2951-2 131 mmol/L")]
    [InlineData("Hb 9,8 g/dL", "hemoglobin 718-7 9.8 g/dL")]
    [InlineData("Hb 98 g/L", "hemoglobin 718-7 98 g/L")]
    [InlineData("EVA 7/10", "pain 72514-3 7 {score}")]
    public void French_measurements_come_with_their_LOINC_and_UCUM(string text, string expected) => Assert.Equal(expected, Summary(One(text)));

    [Theory]
    [InlineData("BP 150/95", "bp 85354-9 150 mm[Hg] 8480-6=150 8462-4=95")]
    [InlineData("HR 110", "hr 8867-4 110 /min")]
    [InlineData("temp 101.2 F", "temp 8310-5 101.2 [degF]")]
    [InlineData("T 38.2", "temp 8310-5 38.2 Cel")]
    [InlineData("wt 160 lbs", "weight 29463-7 160 [lb_av]")]
    [InlineData("BMI 31 kg/m2", "bmi 39156-5 31 kg/m2")]
    [InlineData("sat 92% RA", "spo2 59408-5 92 %")]
    [InlineData("O2 sats of 88% on 2L", "spo2 59408-5 88 %")]
    [InlineData("RR 18", "rr 9279-1 18 /min")]
    [InlineData("glucose 7.2 mmol/L", "glucose 14749-6 7.2 mmol/L")]
    [InlineData("BG 180 mg/dL", "glucose 2345-7 180 mg/dL")]
    [InlineData("A1c 8.1%", "hba1c 4548-4 8.1 %")]
    [InlineData("HbA1c 58 mmol/mol", "hba1c 59261-8 58 mmol/mol")]
    [InlineData("creat 1.2 mg/dL", "creatinine 2160-0 1.2 mg/dL")]
    [InlineData("Cr 1.4", "creatinine 2160-0 1.4 mg/dL")]
    [InlineData("eGFR 52", "egfr 62238-1 52 mL/min/{1.73_m2}")]
    [InlineData("eGFR (CKD-EPI 2021) 61 mL/min/1.73m2", "egfr_2021 98979-8 61 mL/min/{1.73_m2}")]
    [InlineData("MDRD 44", "egfr_mdrd 33914-3 44 mL/min/{1.73_m2}")]
    [InlineData("CRP was 12", "crp 1988-5 12 mg/L")]
    [InlineData("K 5.8", "potassium 2823-3 5.8 mmol/L")]
    [InlineData("pain score 4/10", "pain 72514-3 4 {score}")]
    public void English_measurements_come_with_their_LOINC_and_UCUM(string text, string expected) =>
        Assert.Equal(expected, Summary(One(text, Language.English)));

    [Fact]
    public void A_line_of_vitals_gives_each_measurement_in_order()
    {
        const string text = "Constantes : TA 135/80, FC 72, T° 37,1, SpO2 98 % AA, FR 16, poids 80,5 kg.";
        Assert.Equal(["bp", "hr", "temp", "spo2", "rr", "weight"], Read(text).Select(m => m.TestId));
        var weight = Read(text)[^1];
        Assert.Equal(("poids 80,5 kg", 80.5m), (weight.Text, weight.Value));
    }

    [Theory]
    [InlineData("TA 1500/95")]
    [InlineData("FC 880")]
    [InlineData("SpO2 140 %")]
    [InlineData("T° 3,5")]
    [InlineData("TA 95/150")]
    [InlineData("TA 150")]
    public void Implausible_values_are_not_reported(string text) => Assert.Empty(Read(text));

    [Theory]
    [InlineData("poids 72 g")]
    [InlineData("CRP 45 nmol/L")]
    [InlineData("HbA1c 7,2 mg")]
    [InlineData("FC 88 mmHg")]
    [InlineData("glycémie 7 U/L")]
    public void A_unit_the_test_is_not_read_in_reports_nothing(string text) => Assert.Empty(Read(text));

    [Fact]
    public void Without_a_unit_an_ambiguous_english_glucose_is_not_reported() => Assert.Empty(Read("glucose 126", Language.English));

    [Theory]
    [InlineData("Vue le 12/03/2024 pour HTA.")]
    [InlineData("TA le 12/03/2024")]
    [InlineData("Mariée, 2 enfants, G2P1, tabac 20 PA.")]
    [InlineData("Diabète découvert à 50 ans, poids stable depuis 3 mois.")]
    [InlineData("Tél : 06 12 34 56 78")]
    [InlineData("1) HTA 2) DT2 3) dyslipidémie")]
    [InlineData("TA correcte, puis à la consultation suivante, dans 3 mois, 140/90")]
    [InlineData("T2 sur l'IRM, T1 normal")]
    [InlineData("FC\n120 patients inclus")]
    public void Dates_counts_ages_and_far_values_are_not_measurements(string text) => Assert.Empty(Read(text));

    [Fact]
    public void Twelve_over_eight_is_a_blood_pressure_only_next_to_a_blood_pressure_label()
    {
        Assert.Empty(Read("Rapport 12/8 sur la série."));
        Assert.Equal(120m, One("PA 12/8.").Value);
    }

    [Fact]
    public void The_shipped_table_has_a_version_and_every_test() =>
        Assert.Equal(("measurement-tests.tsv 2026-12-02", 20), (s_french.Version, s_french.TestCount));

    [Fact]
    public void A_bad_line_names_the_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => MeasurementExtractor.Parse("t.tsv", "test\thr\t8867-4\tHeart rate\nrange\thr\t/min\tx\t300\t*\t-\t-\t-", Language.French));
        Assert.Contains("t.tsv, line 2", error.Message, StringComparison.Ordinal);
    }
}
