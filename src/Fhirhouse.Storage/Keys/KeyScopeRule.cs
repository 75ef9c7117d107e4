namespace Fhirhouse.Storage.Keys;

/// <summary>
/// Objects whose key starts with <paramref name="Prefix"/> use the KEK <paramref name="KeyIdTemplate"/>, in which
/// "{segment}" stands for the path segment that follows the prefix (e.g. prefix "raw/" and template "raw-{segment}"
/// give key "raw-b42" to "raw/b42/file.ndjson").
/// </summary>
public sealed record KeyScopeRule(string Prefix, string KeyIdTemplate);
