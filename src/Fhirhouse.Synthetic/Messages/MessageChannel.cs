namespace Fhirhouse.Synthetic.Messages;

/// <summary>How a patient message reached the hospital.</summary>
public enum MessageChannel
{
    /// <summary>A message written in the patient portal (patient to care team, or the team's reply).</summary>
    PatientPortal,

    /// <summary>The transcript of the emergency department's triage chatbot, before arrival.</summary>
    TriageChatbot,
}
