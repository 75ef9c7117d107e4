using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Medications;

/// <summary>
/// A drug of the lexicon and what the words after it say of how it is taken, named after FHIR <c>Dosage</c>: a field is
/// null (or false) when the text does not say it.
/// </summary>
/// <param name="Drug">The drug as the lexicon found it (concept with its ATC code, span, words as written).</param>
/// <param name="Strength">The amount written with the drug: "850 mg", "5 000 UI", "0,5 mg".</param>
/// <param name="DoseQuantity">What is taken at each intake (<c>doseAndRate.doseQuantity</c>): the count of forms when
/// written ("1 cp" is 1 {tbl}), else the <see cref="Strength"/>.</param>
/// <param name="DailyDose">A total per day written as such ("2 g/j" is 2 g/d; <c>doseAndRate.rateQuantity</c>).</param>
/// <param name="Form">The dose form: tablet, capsule, sachet, puff, drop, ampoule, suppository, patch, injection.</param>
/// <param name="Route">The route (<c>route</c>), coded in SNOMED CT.</param>
/// <param name="Timing">How often (<c>timing.repeat.frequency</c>, <c>period</c>, <c>periodUnit</c>, <c>when</c>).</param>
/// <param name="Duration">For how long (<c>timing.repeat.boundsDuration</c>): "pendant 7 jours" is 7 d.</param>
/// <param name="AsNeeded">Taken as needed (<c>asNeededBoolean</c>): "si besoin", "PRN", "en cas de".</param>
/// <param name="AsNeededFor">What it is needed for, as written ("douleur" of "si douleur"; <c>asNeededFor.text</c>).</param>
/// <param name="Status">Stopped when the text says so ("arrêt de", "discontinued"), else active.</param>
/// <param name="Start">Start of the whole mention (a stop word before the drug, else the drug), inclusive.</param>
/// <param name="End">End of the last word said of the drug, exclusive.</param>
public sealed record MedicationMention(
    ConceptMatch Drug,
    MedicationQuantity? Strength,
    MedicationQuantity? DoseQuantity,
    MedicationQuantity? DailyDose,
    string? Form,
    MedicationRoute? Route,
    MedicationTiming? Timing,
    MedicationQuantity? Duration,
    bool AsNeeded,
    string? AsNeededFor,
    MedicationStatus Status,
    int Start,
    int End,
    string Text);
