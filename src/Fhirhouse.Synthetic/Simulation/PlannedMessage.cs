using Fhirhouse.Synthetic.Messages;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>A message composed and ready to write as a Communication: its truth, when it was sent, by whom, to whom, in reply to what.</summary>
internal sealed record PlannedMessage(MessageTruth Truth, DateTime Sent, string Sender, string Recipient, string? InResponseTo);
