using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// The words patients use for the catalog's concepts ("mal au ventre", "je tousse", "a heart attack", "my sugar" is not
/// one: every form names its concept plainly). Concepts without an entry fall back to their first catalog term.
/// </summary>
internal static class LayLexicon
{
    private static readonly Dictionary<string, LayWording> s_words = new(StringComparer.Ordinal)
    {
        ["fever"] = new(
            [new("j'ai de la ", "fièvre"), new("j'ai un peu de ", "fièvre")], [F("fièvre")], [],
            [new("i have a ", "fever"), new("i've had a ", "fever")], [new("a ", "fever")], []),
        ["cough"] = new(
            [new("je ", "tousse"), new("j'ai de la ", "toux")], [F("toux")], [],
            [new("i've been ", "coughing"), new("i have a ", "cough")], [new("a ", "cough")], []),
        ["dyspnea"] = new(
            [new("j'ai du ", "mal à respirer"), new("je ", "respire mal")], [M("essoufflement"), M("mal à respirer")], [],
            [new("i'm ", "short of breath"), new("i have ", "trouble breathing")], [new("", "shortness of breath"), new("", "trouble breathing")], []),
        ["chest-pain"] = new(
            [new("j'ai ", "mal à la poitrine"), new("j'ai une ", "douleur dans la poitrine")], [F("douleur dans la poitrine"), M("mal à la poitrine")], [],
            [new("i have ", "chest pain"), new("i've got a ", "pain in my chest")], [new("", "chest pain"), new("", "pain in my chest")], []),
        ["headache"] = new(
            [new("j'ai ", "mal à la tête"), new("j'ai des ", "maux de tête")], [M("mal de tête"), M("maux de tête")], [],
            [new("i have a ", "headache"), new("i've got a ", "headache")], [new("a ", "headache")], []),
        ["abdominal-pain"] = new(
            [new("j'ai ", "mal au ventre"), new("j'ai des ", "douleurs au ventre")], [M("mal au ventre")], [],
            [new("i have ", "stomach pain"), new("i've got a ", "tummy ache")], [new("", "stomach pain"), new("", "tummy ache")], []),
        ["nausea"] = new(
            [new("j'ai des ", "nausées"), new("j'ai ", "envie de vomir")], [F("nausées")], [],
            [new("i feel ", "nauseous"), new("i have ", "nausea")], [new("", "nausea")], []),
        ["leg-edema"] = new(
            [new("j'ai les ", "chevilles gonflées"), new("j'ai les ", "jambes gonflées")], [M("gonflement des jambes")], [],
            [new("i have ", "swollen ankles"), new("i have ", "swollen legs")], [new("", "swollen ankles")], []),

        ["diabetes-type-2"] = new(
            [new("j'ai un ", "diabète de type 2")], [M("diabète de type 2")], [],
            [new("i have ", "type 2 diabetes")], [new("", "type 2 diabetes")], []),
        ["diabetes"] = new(
            [new("j'ai du ", "diabète")], [M("diabète")], [new("a du ", "diabète"), new("avait du ", "diabète"), new("est ", "diabétique")],
            [new("i have ", "diabetes")], [new("", "diabetes")], [new("has ", "diabetes"), new("is ", "diabetic"), new("had ", "diabetes")]),
        ["hypertension"] = new(
            [new("j'ai de la ", "tension"), new("j'ai de l'", "hypertension")], [F("hypertension")], [new("a de la ", "tension"), new("a de l'", "hypertension")],
            [new("i have ", "high blood pressure")], [new("", "high blood pressure")], [new("has ", "high blood pressure")]),
        ["hyperlipidemia"] = new(
            [new("j'ai du ", "cholestérol")], [M("cholestérol")], [new("a du ", "cholestérol")],
            [new("i have ", "high cholesterol")], [new("", "high cholesterol")], [new("has ", "high cholesterol")]),
        ["chronic-kidney-disease-3"] = new(
            [new("j'ai une ", "insuffisance rénale")], [F("insuffisance rénale")], [],
            [new("i have ", "CKD")], [new("", "CKD")], []),
        ["asthma"] = new(
            [new("j'ai de l'", "asthme"), new("je suis ", "asthmatique")], [M("asthme")], [new("a de l'", "asthme"), new("est ", "asthmatique")],
            [new("i have ", "asthma")], [new("", "asthma")], [new("has ", "asthma"), new("is ", "asthmatic")]),
        ["copd"] = new(
            [new("j'ai une ", "BPCO")], [F("BPCO")], [],
            [new("i have ", "COPD")], [new("", "COPD")], []),
        ["atrial-fibrillation"] = new(
            [new("j'ai une ", "fibrillation auriculaire"), new("je fais de la ", "fibrillation")], [F("fibrillation auriculaire")], [],
            [new("i have ", "AFib")], [new("", "AFib")], []),
        ["heart-failure"] = new(
            [new("j'ai une ", "insuffisance cardiaque")], [F("insuffisance cardiaque")], [new("a une ", "insuffisance cardiaque")],
            [new("i have ", "heart failure")], [new("", "heart failure")], [new("has ", "heart failure")]),
        ["obesity"] = new(
            [new("je suis ", "obèse")], [F("obésité")], [new("est ", "obèse")],
            [new("i'm ", "obese")], [new("", "obesity")], [new("is ", "obese")]),
        ["depression"] = new(
            [new("je fais une ", "dépression")], [F("dépression")], [],
            [new("i have ", "depression")], [new("", "depression")], []),
        ["hypothyroidism"] = new(
            [new("j'ai une ", "hypothyroïdie")], [F("hypothyroïdie")], [],
            [new("i have an ", "underactive thyroid")], [new("an ", "underactive thyroid")], []),
        ["osteoarthritis"] = new(
            [new("j'ai de l'", "arthrose")], [F("arthrose")], [],
            [new("i have ", "osteoarthritis")], [new("", "osteoarthritis")], []),

        ["pneumonia"] = new([], [F("pneumonie")], [], [], [new("", "pneumonia")], []),
        ["acute-bronchitis"] = new([], [F("bronchite")], [], [], [new("", "bronchitis")], []),
        ["urinary-tract-infection"] = new([], [F("infection urinaire"), F("cystite")], [], [], [new("a ", "UTI"), new("a ", "bladder infection")], []),
        ["covid-19"] = new([], [M("covid")], [], [], [new("", "covid")], []),
        ["influenza"] = new([], [F("grippe")], [], [], [new("the ", "flu")], []),
        ["myocardial-infarction"] = new(
            [], [M("infarctus"), F("crise cardiaque")], [new("a fait un ", "infarctus"), new("a fait une ", "crise cardiaque")],
            [], [new("a ", "heart attack")], [new("had a ", "heart attack")]),
        ["stroke"] = new(
            [], [M("AVC")], [new("a fait un ", "AVC")],
            [], [new("a ", "stroke")], [new("had a ", "stroke")]),
        ["appendicitis"] = new([], [F("appendicite")], [], [], [new("", "appendicitis")], []),
    };

    /// <summary>The patient's words for <paramref name="concept"/>; every list has at least one form.</summary>
    public static LayWording For(ClinicalConcept concept)
    {
        var fr = concept.TermsFr[0];
        var en = concept.TermsEn[0];
        var words = s_words.GetValueOrDefault(concept.Key);
        return new LayWording(
            OrDefault(words?.HaveFr, new LayTerm("j'ai " + fr.UnPrefix, fr.Text)),
            words?.NounsFr is { Length: > 0 } nouns ? nouns : [fr],
            OrDefault(words?.FamilyFr, new LayTerm("a " + fr.UnPrefix, fr.Text)),
            OrDefault(words?.HaveEn, new LayTerm("i have ", en)),
            OrDefault(words?.NounsEn, new LayTerm(string.Empty, en)),
            OrDefault(words?.FamilyEn, new LayTerm("has ", en)));
    }

    private static LayTerm[] OrDefault(LayTerm[]? forms, LayTerm fallback) => forms is { Length: > 0 } ? forms : [fallback];

    private static Term M(string text) => new(text, Feminine: false);

    private static Term F(string text) => new(text, Feminine: true);
}
