using Fhirhouse.Errors;

namespace Fhirhouse.Storage.Encryption;

/// <summary>
/// The stored bytes of object <see cref="Key"/> do not authenticate (bit flip, truncation, reordering, appended bytes,
/// swap with another object, not an encrypted object): nothing of it is returned as data.
/// </summary>
public sealed class TamperedObjectException : FhirhouseException
{
    public TamperedObjectException(string key, string reason, Exception? inner = null)
        : base(ErrorCodes.TamperedObject, ErrorKind.Data, $"Object '{key}' failed authentication and was not read: {reason}.", inner)
    {
        Key = key;
        Reason = reason;
    }

    public string Key { get; }

    public string Reason { get; }
}
