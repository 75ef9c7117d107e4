namespace Fhirhouse.Synthetic.Catalog;

/// <summary>Laboratory tests and vital signs (LOINC codes, UCUM units, adult reference ranges).</summary>
public static class Labs
{
    public const string VitalSigns = "vital-signs";
    public const string Laboratory = "laboratory";

    private static Code Loinc(string code, string display) => new(Code.Loinc, code, display);

    public static readonly Code BloodPressurePanel = Loinc("85354-9", "Blood pressure panel with all children optional");
    public static readonly LabTest Systolic = new("systolic", Loinc("8480-6", "Systolic blood pressure"), "mm[Hg]", 90, 130, 0, VitalSigns, "BP", "TA");
    public static readonly LabTest Diastolic = new("diastolic", Loinc("8462-4", "Diastolic blood pressure"), "mm[Hg]", 60, 85, 0, VitalSigns, "BP", "TA");
    public static readonly LabTest HeartRate = new("heart-rate", Loinc("8867-4", "Heart rate"), "/min", 60, 100, 0, VitalSigns, "HR", "FC");
    public static readonly LabTest RespiratoryRate = new("respiratory-rate", Loinc("9279-1", "Respiratory rate"), "/min", 12, 20, 0, VitalSigns, "RR", "FR");
    public static readonly LabTest Temperature = new("body-temperature", Loinc("8310-5", "Body temperature"), "Cel", 36.1, 37.8, 1, VitalSigns, "Temp", "T°");
    public static readonly LabTest OxygenSaturation = new("oxygen-saturation", Loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"), "%", 95, 100, 0, VitalSigns, "SpO2", "SpO2");
    public static readonly LabTest BodyWeight = new("body-weight", Loinc("29463-7", "Body weight"), "kg", 0, 0, 1, VitalSigns, "Weight", "Poids");
    public static readonly LabTest BodyHeight = new("body-height", Loinc("8302-2", "Body height"), "cm", 0, 0, 0, VitalSigns, "Height", "Taille");
    public static readonly LabTest Bmi = new("bmi", Loinc("39156-5", "Body mass index (BMI) [Ratio]"), "kg/m2", 18.5, 25, 1, VitalSigns, "BMI", "IMC");

    public static readonly LabTest HbA1c = new("hba1c", Loinc("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"), "%", 4.0, 5.6, 1, Laboratory, "HbA1c", "HbA1c");
    public static readonly LabTest GlucoseMass = new("glucose", Loinc("2345-7", "Glucose [Mass/volume] in Serum or Plasma"), "mg/dL", 70, 100, 0, Laboratory, "glucose", "glycémie");
    public static readonly LabTest GlucoseMolar = new("glucose", Loinc("14749-6", "Glucose [Moles/volume] in Serum or Plasma"), "mmol/L", 3.9, 5.6, 1, Laboratory, "glucose", "glycémie");
    public static readonly LabTest CreatinineMass = new("creatinine", Loinc("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"), "mg/dL", 0.6, 1.2, 2, Laboratory, "creatinine", "créatinine");
    public static readonly LabTest Egfr = new("egfr", Loinc("62238-1", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)"), "mL/min/{1.73_m2}", 90, 120, 0, Laboratory, "eGFR", "DFG");
    public static readonly LabTest Ldl = new("ldl", Loinc("18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay"), "mg/dL", 0, 130, 0, Laboratory, "LDL", "LDL");
    public static readonly LabTest TotalCholesterol = new("total-cholesterol", Loinc("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"), "mg/dL", 0, 200, 0, Laboratory, "total cholesterol", "cholestérol total");
    public static readonly LabTest NtProBnp = new("nt-probnp", Loinc("33762-6", "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma"), "pg/mL", 0, 125, 0, Laboratory, "NT-proBNP", "NT-proBNP");
    public static readonly LabTest Crp = new("crp", Loinc("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma"), "mg/L", 0, 5, 1, Laboratory, "CRP", "CRP");
    public static readonly LabTest Leukocytes = new("wbc", Loinc("6690-2", "Leukocytes [#/volume] in Blood by Automated count"), "10*3/uL", 4.0, 10.0, 1, Laboratory, "WBC", "leucocytes");
    public static readonly LabTest TroponinI = new("troponin-i", Loinc("10839-9", "Troponin I.cardiac [Mass/volume] in Serum or Plasma"), "ng/mL", 0, 0.04, 2, Laboratory, "troponin I", "troponine I");
    public static readonly LabTest Tsh = new("tsh", Loinc("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma"), "m[IU]/L", 0.4, 4.0, 2, Laboratory, "TSH", "TSH");
    public static readonly LabTest Hemoglobin = new("hemoglobin", Loinc("718-7", "Hemoglobin [Mass/volume] in Blood"), "g/dL", 12, 17, 1, Laboratory, "Hb", "Hb");
    public static readonly LabTest Potassium = new("potassium", Loinc("2823-3", "Potassium [Moles/volume] in Serum or Plasma"), "mmol/L", 3.5, 5.1, 1, Laboratory, "K", "K");
    public static readonly LabTest Sodium = new("sodium", Loinc("2951-2", "Sodium [Moles/volume] in Serum or Plasma"), "mmol/L", 136, 145, 0, Laboratory, "Na", "Na");

    /// <summary>SARS-CoV-2 RNA by PCR: a coded result (detected / not detected).</summary>
    public static readonly Code Sars2Pcr = Loinc("94500-6", "SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory specimen by NAA with probe detection");

    public static readonly Code Detected = new(Code.Snomed, "260373001", "Detected");
    public static readonly Code NotDetected = new(Code.Snomed, "260415000", "Not detected");
}
