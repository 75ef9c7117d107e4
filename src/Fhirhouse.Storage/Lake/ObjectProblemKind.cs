namespace Fhirhouse.Storage.Lake;

/// <summary>Why an object failed verification.</summary>
public enum ObjectProblemKind
{
    /// <summary>Its bytes do not authenticate: altered, truncated, extended, swapped, or not an encrypted object.</summary>
    Tampered,

    /// <summary>The key that protects it is missing, retired or destroyed.</summary>
    KeyUnavailable,

    /// <summary>It could not be read for another reason (for example not SSE-KMS encrypted in an sse-kms lake).</summary>
    Unreadable,
}
