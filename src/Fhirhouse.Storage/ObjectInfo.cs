namespace Fhirhouse.Storage;

/// <summary>What a listing says of one object: its key, its logical size in bytes and when it was last written.</summary>
public sealed record ObjectInfo(string Key, long Size, DateTimeOffset LastModified);
