namespace Fhirhouse.Nlp.Medications;

/// <summary>What a phrase of the dosage terms says about a drug.</summary>
internal enum DosageCueKind
{
    Dose,
    DailyDose,
    Count,
    Form,
    Route,
    Frequency,
    Slots,
    Duration,
    AsNeeded,
    Stopped,
    End,
}
