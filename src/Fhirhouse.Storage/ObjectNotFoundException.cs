namespace Fhirhouse.Storage;

/// <summary>The object with <see cref="Key"/> does not exist in the store.</summary>
public sealed class ObjectNotFoundException : IOException
{
    public ObjectNotFoundException(string key)
        : base($"Object not found: '{key}'.") => Key = key;

    public ObjectNotFoundException(string key, Exception inner)
        : base($"Object not found: '{key}'.", inner) => Key = key;

    public string Key { get; }
}
