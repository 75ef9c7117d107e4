namespace Fhirhouse.Nlp.Sources;

/// <summary>
/// A resource that holds free text, with what the annotator and the FHIR it writes need to know of it: its type and id,
/// the patient and encounter it is about (references as written, <c>Patient/p1</c>), when it was written, its
/// <c>meta.lastUpdated</c>, and its texts in document order.
/// </summary>
/// <param name="ResourceType">DocumentReference, DiagnosticReport, MedicationRequest or Communication.</param>
/// <param name="Id">The resource's id.</param>
/// <param name="Subject">The reference to the patient (<c>subject</c>), or null.</param>
/// <param name="Encounter">The reference to the encounter (<c>context.encounter[0]</c> or <c>encounter</c>), or null.</param>
/// <param name="Written">When it was written: DocumentReference.date, DiagnosticReport.issued (else effectiveDateTime),
/// MedicationRequest.authoredOn, Communication.sent; null when it does not say.</param>
/// <param name="WrittenText"><see cref="Written"/> as the resource wrote it (a FHIR dateTime or instant).</param>
/// <param name="LastUpdated"><c>meta.lastUpdated</c> as written, or null.</param>
/// <param name="Texts">Its texts; empty when it holds none the annotator reads.</param>
public sealed record SourceDocument(
    string ResourceType,
    string Id,
    string? Subject,
    string? Encounter,
    DateTimeOffset? Written,
    string? WrittenText,
    string? LastUpdated,
    IReadOnlyList<SourceText> Texts)
{
    /// <summary><c>ResourceType/Id</c>.</summary>
    public string Key => ResourceType + "/" + Id;

    /// <summary>The year the text was written, when known: years before it date a mention in the past.</summary>
    public int? WrittenYear => Written?.Year;
}
