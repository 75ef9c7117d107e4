namespace Fhirhouse.Synthetic.Catalog;

/// <summary>The concepts of the synthetic hospital (codes checked against SNOMED CT and ICD-10 (WHO)).</summary>
public static class Concepts
{
    private static Term M(string text) => new(text, Feminine: false);

    private static Term F(string text) => new(text, Feminine: true);

    private static Code Sct(string code, string display) => new(Code.Snomed, code, display);

    private static Code Icd(string code, string display) => new(Code.Icd10, code, display);

    public static readonly ClinicalConcept Diabetes2 = new(
        "diabetes-type-2", ConceptKind.Chronic,
        Sct("44054006", "Diabetes mellitus type 2"), Icd("E11.9", "Type 2 diabetes mellitus without complications"),
        ["type 2 diabetes", "type 2 diabetes mellitus", "T2DM", "non-insulin-dependent diabetes"],
        [M("diabète de type 2"), M("DT2"), M("diabète non insulinodépendant")]);

    public static readonly ClinicalConcept Diabetes = new(
        "diabetes", ConceptKind.FamilyOnly,
        Sct("73211009", "Diabetes mellitus"), Icd("E14.9", "Unspecified diabetes mellitus without complications"),
        ["diabetes"], [M("diabète")],
        FamilyAdjectiveEn: "diabetic", FamilyAdjectiveFrMasculine: "diabétique", FamilyAdjectiveFrFeminine: "diabétique");

    public static readonly ClinicalConcept Hypertension = new(
        "hypertension", ConceptKind.Chronic,
        Sct("38341003", "Hypertensive disorder, systemic arterial"), Icd("I10", "Essential (primary) hypertension"),
        ["hypertension", "high blood pressure", "HTN"],
        [F("hypertension artérielle"), F("HTA"), F("tension artérielle élevée")],
        FamilyAdjectiveEn: "hypertensive", FamilyAdjectiveFrMasculine: "hypertendu", FamilyAdjectiveFrFeminine: "hypertendue");

    public static readonly ClinicalConcept Hyperlipidemia = new(
        "hyperlipidemia", ConceptKind.Chronic,
        Sct("55822004", "Hyperlipidemia"), Icd("E78.5", "Hyperlipidaemia, unspecified"),
        ["hyperlipidemia", "dyslipidemia", "high cholesterol"],
        [F("dyslipidémie"), F("hypercholestérolémie"), F("hyperlipidémie")]);

    public static readonly ClinicalConcept ChronicKidneyDisease = new(
        "chronic-kidney-disease-3", ConceptKind.Chronic,
        Sct("433144002", "Chronic kidney disease stage 3"), Icd("N18.3", "Chronic kidney disease, stage 3"),
        ["chronic kidney disease stage 3", "CKD stage 3", "stage 3 CKD"],
        [F("insuffisance rénale chronique stade 3"), F("maladie rénale chronique stade 3"), F("IRC stade 3")]);

    public static readonly ClinicalConcept Asthma = new(
        "asthma", ConceptKind.Chronic,
        Sct("195967001", "Asthma"), Icd("J45.9", "Asthma, unspecified"),
        ["asthma"], [M("asthme")],
        FamilyAdjectiveEn: "asthmatic", FamilyAdjectiveFrMasculine: "asthmatique", FamilyAdjectiveFrFeminine: "asthmatique");

    public static readonly ClinicalConcept Copd = new(
        "copd", ConceptKind.Chronic,
        Sct("13645005", "Chronic obstructive lung disease"), Icd("J44.9", "Chronic obstructive pulmonary disease, unspecified"),
        ["COPD", "chronic obstructive pulmonary disease"],
        [F("BPCO"), F("bronchopneumopathie chronique obstructive")]);

    public static readonly ClinicalConcept AtrialFibrillation = new(
        "atrial-fibrillation", ConceptKind.Chronic,
        Sct("49436004", "Atrial fibrillation"), Icd("I48.9", "Atrial fibrillation and atrial flutter, unspecified"),
        ["atrial fibrillation", "AF", "AFib"],
        [F("fibrillation atriale"), F("ACFA"), F("fibrillation auriculaire")]);

    public static readonly ClinicalConcept HeartFailure = new(
        "heart-failure", ConceptKind.Chronic,
        Sct("84114007", "Heart failure"), Icd("I50.9", "Heart failure, unspecified"),
        ["heart failure", "congestive heart failure", "CHF"],
        [F("insuffisance cardiaque"), F("ICC"), F("insuffisance cardiaque congestive")]);

    public static readonly ClinicalConcept Obesity = new(
        "obesity", ConceptKind.Chronic,
        Sct("414916001", "Obesity"), Icd("E66.9", "Obesity, unspecified"),
        ["obesity"], [F("obésité")],
        FamilyAdjectiveEn: "obese", FamilyAdjectiveFrMasculine: "obèse", FamilyAdjectiveFrFeminine: "obèse");

    public static readonly ClinicalConcept Depression = new(
        "depression", ConceptKind.Chronic,
        Sct("35489007", "Depressive disorder"), Icd("F32.9", "Depressive episode, unspecified"),
        ["depression", "depressive disorder"],
        [F("dépression"), M("syndrome dépressif")]);

    public static readonly ClinicalConcept Hypothyroidism = new(
        "hypothyroidism", ConceptKind.Chronic,
        Sct("40930008", "Hypothyroidism"), Icd("E03.9", "Hypothyroidism, unspecified"),
        ["hypothyroidism"], [F("hypothyroïdie")]);

    public static readonly ClinicalConcept Osteoarthritis = new(
        "osteoarthritis", ConceptKind.Chronic,
        Sct("396275006", "Osteoarthritis"), Icd("M19.9", "Arthrosis, unspecified"),
        ["osteoarthritis"], [F("arthrose")]);

    public static readonly ClinicalConcept Pneumonia = new(
        "pneumonia", ConceptKind.Acute,
        Sct("233604007", "Pneumonia"), Icd("J18.9", "Pneumonia, unspecified"),
        ["pneumonia", "community-acquired pneumonia"],
        [F("pneumopathie"), F("pneumonie"), F("pneumopathie infectieuse")]);

    public static readonly ClinicalConcept Bronchitis = new(
        "acute-bronchitis", ConceptKind.Acute,
        Sct("10509002", "Acute bronchitis"), Icd("J20.9", "Acute bronchitis, unspecified"),
        ["acute bronchitis", "bronchitis"], [F("bronchite aiguë"), F("bronchite")]);

    public static readonly ClinicalConcept UrinaryTractInfection = new(
        "urinary-tract-infection", ConceptKind.Acute,
        Sct("68566005", "Urinary tract infectious disease"), Icd("N39.0", "Urinary tract infection, site not specified"),
        ["urinary tract infection", "UTI"], [F("infection urinaire"), F("cystite")]);

    public static readonly ClinicalConcept Covid19 = new(
        "covid-19", ConceptKind.Acute,
        Sct("840539006", "Disease caused by severe acute respiratory syndrome coronavirus 2"), Icd("U07.1", "COVID-19, virus identified"),
        ["COVID-19", "SARS-CoV-2 infection"], [M("COVID-19"), F("infection à SARS-CoV-2")]);

    public static readonly ClinicalConcept Influenza = new(
        "influenza", ConceptKind.Acute,
        Sct("6142004", "Influenza"), Icd("J11.1", "Influenza with other respiratory manifestations, virus not identified"),
        ["influenza", "flu"], [F("grippe")]);

    public static readonly ClinicalConcept MyocardialInfarction = new(
        "myocardial-infarction", ConceptKind.Acute,
        Sct("22298006", "Myocardial infarction"), Icd("I21.9", "Acute myocardial infarction, unspecified"),
        ["myocardial infarction", "heart attack", "STEMI"],
        [M("infarctus du myocarde"), M("IDM"), M("syndrome coronarien aigu")]);

    public static readonly ClinicalConcept Stroke = new(
        "stroke", ConceptKind.Acute,
        Sct("422504002", "Ischemic stroke"), Icd("I63.9", "Cerebral infarction, unspecified"),
        ["ischemic stroke", "stroke", "CVA"],
        [M("accident vasculaire cérébral"), M("AVC"), M("AVC ischémique")]);

    public static readonly ClinicalConcept Appendicitis = new(
        "appendicitis", ConceptKind.Acute,
        Sct("74400008", "Appendicitis"), Icd("K37", "Unspecified appendicitis"),
        ["appendicitis"], [F("appendicite")]);

    public static readonly ClinicalConcept ChestPain = new(
        "chest-pain", ConceptKind.Symptom,
        Sct("29857009", "Chest pain"), Icd("R07.4", "Chest pain, unspecified"),
        ["chest pain"], [F("douleur thoracique")]);

    public static readonly ClinicalConcept Dyspnea = new(
        "dyspnea", ConceptKind.Symptom,
        Sct("267036007", "Dyspnea"), Icd("R06.0", "Dyspnoea"),
        ["dyspnea", "shortness of breath"], [F("dyspnée"), M("essoufflement")]);

    public static readonly ClinicalConcept Fever = new(
        "fever", ConceptKind.Symptom,
        Sct("386661006", "Fever"), Icd("R50.9", "Fever, unspecified"),
        ["fever"], [F("fièvre")]);

    public static readonly ClinicalConcept Cough = new(
        "cough", ConceptKind.Symptom,
        Sct("49727002", "Cough"), Icd("R05", "Cough"),
        ["cough"], [F("toux")]);

    public static readonly ClinicalConcept Headache = new(
        "headache", ConceptKind.Symptom,
        Sct("25064002", "Headache"), Icd("R51", "Headache"),
        ["headache"], [F("céphalée"), M("mal de tête")]);

    public static readonly ClinicalConcept AbdominalPain = new(
        "abdominal-pain", ConceptKind.Symptom,
        Sct("21522001", "Abdominal pain"), Icd("R10.4", "Other and unspecified abdominal pain"),
        ["abdominal pain"], [F("douleur abdominale")]);

    public static readonly ClinicalConcept Edema = new(
        "leg-edema", ConceptKind.Symptom,
        Sct("267038008", "Edema"), Icd("R60.0", "Localized oedema"),
        ["leg swelling", "lower limb edema"], [M("œdème des membres inférieurs"), M("œdème des chevilles")]);

    public static readonly ClinicalConcept Nausea = new(
        "nausea", ConceptKind.Symptom,
        Sct("422587007", "Nausea"), Icd("R11", "Nausea and vomiting"),
        ["nausea"], [F("nausée")]);

    /// <summary>Every concept, in a fixed order.</summary>
    public static IReadOnlyList<ClinicalConcept> All { get; } =
    [
        Diabetes2, Diabetes, Hypertension, Hyperlipidemia, ChronicKidneyDisease, Asthma, Copd, AtrialFibrillation, HeartFailure,
        Obesity, Depression, Hypothyroidism, Osteoarthritis, Pneumonia, Bronchitis, UrinaryTractInfection, Covid19, Influenza,
        MyocardialInfarction, Stroke, Appendicitis, ChestPain, Dyspnea, Fever, Cough, Headache, AbdominalPain, Edema, Nausea,
    ];

    /// <summary>The symptoms a note may affirm or deny.</summary>
    public static IReadOnlyList<ClinicalConcept> Symptoms { get; } = [.. All.Where(c => c.Kind == ConceptKind.Symptom)];

    /// <summary>The concepts that may be told as family history.</summary>
    public static IReadOnlyList<ClinicalConcept> FamilyHistory { get; } =
        [Diabetes, Hypertension, Asthma, Obesity, MyocardialInfarction, Stroke, HeartFailure, Hyperlipidemia];

    /// <summary>The concept with this key.</summary>
    public static ClinicalConcept ByKey(string key) =>
        All.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"Unknown concept '{key}'.");
}
