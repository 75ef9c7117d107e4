using Fhirhouse.Errors;

namespace Fhirhouse.Storage;

/// <summary>The object with <see cref="Key"/> does not exist in the store.</summary>
public sealed class ObjectNotFoundException : FhirhouseException
{
    public ObjectNotFoundException(string key, Exception? inner = null)
        : base(ErrorCodes.ObjectNotFound, ErrorKind.IO, $"Object not found: '{key}'.", inner) => Key = key;

    public string Key { get; }
}
