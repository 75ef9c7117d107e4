using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>The Fhirhouse code system for <see cref="MessageChannel"/>, written as <c>Communication.category</c>.</summary>
public static class MessageChannels
{
    /// <summary>The code system URI.</summary>
    public const string System = "https://fhirhouse.org/CodeSystem/communication-channel";

    /// <summary><c>patient-portal</c>.</summary>
    public static Code PatientPortal { get; } = new(System, "patient-portal", "Patient portal message");

    /// <summary><c>triage-chatbot</c>.</summary>
    public static Code TriageChatbot { get; } = new(System, "triage-chatbot", "Triage chatbot transcript");

    /// <summary>The coding of a channel.</summary>
    public static Code CodeOf(MessageChannel channel) => channel == MessageChannel.TriageChatbot ? TriageChatbot : PatientPortal;
}
