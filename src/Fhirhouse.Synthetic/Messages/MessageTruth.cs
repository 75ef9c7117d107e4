using Fhirhouse.Synthetic.Notes;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// What one generated patient message really says: its Communication, patient, encounter (a triage chat is tied to its
/// emergency visit; portal messages to none), language, channel, text and every concept mention in it.
/// </summary>
public sealed record MessageTruth(
    string CommunicationId,
    string PatientId,
    string? EncounterId,
    string Language,
    MessageChannel Channel,
    string Text,
    IReadOnlyList<NoteMention> Mentions);
