namespace Fhirhouse.Synthetic.Catalog;

/// <summary>Medications the synthetic hospital prescribes, with the concept each one treats.</summary>
public static class Medications
{
    private static Medication Med(string key, string rx, string rxDisplay, string atc, string atcDisplay, string dosageEn, string dosageFr, string nameFr) =>
        new(key, new Code(Code.RxNorm, rx, rxDisplay), new Code(Code.Atc, atc, atcDisplay), dosageEn, dosageFr, nameFr);

    public static readonly Medication Metformin = Med("metformin", "6809", "metformin", "A10BA02", "metformin", "500 mg twice daily with meals", "500 mg deux fois par jour au cours des repas", "metformine");
    public static readonly Medication InsulinGlargine = Med("insulin-glargine", "274783", "insulin glargine", "A10AE04", "insulin glargine", "10 units subcutaneously at bedtime", "10 UI en sous-cutané au coucher", "insuline glargine");
    public static readonly Medication Lisinopril = Med("lisinopril", "29046", "lisinopril", "C09AA03", "lisinopril", "10 mg once daily", "10 mg une fois par jour", "lisinopril");
    public static readonly Medication Amlodipine = Med("amlodipine", "17767", "amlodipine", "C08CA01", "amlodipine", "5 mg once daily", "5 mg une fois par jour", "amlodipine");
    public static readonly Medication Atorvastatin = Med("atorvastatin", "83367", "atorvastatin", "C10AA05", "atorvastatin", "20 mg once daily in the evening", "20 mg le soir", "atorvastatine");
    public static readonly Medication Salbutamol = Med("salbutamol", "435", "albuterol", "R03AC02", "salbutamol", "2 puffs as needed", "2 bouffées à la demande", "salbutamol");
    public static readonly Medication Tiotropium = Med("tiotropium", "69120", "tiotropium", "R03BB04", "tiotropium bromide", "18 mcg inhaled once daily", "18 µg inhalé une fois par jour", "tiotropium");
    public static readonly Medication Apixaban = Med("apixaban", "1364430", "apixaban", "B01AF02", "apixaban", "5 mg twice daily", "5 mg deux fois par jour", "apixaban");
    public static readonly Medication Bisoprolol = Med("bisoprolol", "19484", "bisoprolol", "C07AB07", "bisoprolol", "2.5 mg once daily", "2,5 mg une fois par jour", "bisoprolol");
    public static readonly Medication Furosemide = Med("furosemide", "4603", "furosemide", "C03CA01", "furosemide", "40 mg once daily in the morning", "40 mg le matin", "furosémide");
    public static readonly Medication Sertraline = Med("sertraline", "36437", "sertraline", "N06AB06", "sertraline", "50 mg once daily", "50 mg une fois par jour", "sertraline");
    public static readonly Medication Levothyroxine = Med("levothyroxine", "10582", "levothyroxine", "H03AA01", "levothyroxine sodium", "75 mcg once daily before breakfast", "75 µg le matin à jeun", "lévothyroxine");
    public static readonly Medication Paracetamol = Med("paracetamol", "161", "acetaminophen", "N02BE01", "paracetamol", "1 g up to three times daily as needed", "1 g jusqu'à trois fois par jour si besoin", "paracétamol");
    public static readonly Medication Amoxicillin = Med("amoxicillin", "723", "amoxicillin", "J01CA04", "amoxicillin", "1 g three times daily for 7 days", "1 g trois fois par jour pendant 7 jours", "amoxicilline");
    public static readonly Medication Nitrofurantoin = Med("nitrofurantoin", "7454", "nitrofurantoin", "J01XE01", "nitrofurantoin", "100 mg twice daily for 5 days", "100 mg deux fois par jour pendant 5 jours", "nitrofurantoïne");
    public static readonly Medication Oseltamivir = Med("oseltamivir", "260101", "oseltamivir", "J05AH02", "oseltamivir", "75 mg twice daily for 5 days", "75 mg deux fois par jour pendant 5 jours", "oseltamivir");
    public static readonly Medication Aspirin = Med("aspirin", "1191", "aspirin", "B01AC06", "acetylsalicylic acid", "75 mg once daily", "75 mg une fois par jour", "aspirine");

    /// <summary>What each concept is treated with (first choice first).</summary>
    public static IReadOnlyList<Medication> For(ClinicalConcept concept) => concept.Key switch
    {
        "diabetes-type-2" => [Metformin],
        "hypertension" => [Lisinopril, Amlodipine],
        "hyperlipidemia" => [Atorvastatin],
        "asthma" => [Salbutamol],
        "copd" => [Tiotropium, Salbutamol],
        "atrial-fibrillation" => [Apixaban, Bisoprolol],
        "heart-failure" => [Furosemide, Bisoprolol],
        "depression" => [Sertraline],
        "hypothyroidism" => [Levothyroxine],
        "osteoarthritis" => [Paracetamol],
        "pneumonia" => [Amoxicillin],
        "urinary-tract-infection" => [Nitrofurantoin],
        "influenza" => [Oseltamivir],
        "covid-19" => [Paracetamol],
        "acute-bronchitis" => [Paracetamol],
        "myocardial-infarction" => [Aspirin, Atorvastatin],
        "stroke" => [Aspirin, Atorvastatin],
        _ => [],
    };
}
