namespace Fhirhouse.Fhir.Views;

/// <summary>A tag on a column (for example ansi/type = VARCHAR) that hints how a consumer should store it.</summary>
public sealed record ViewColumnTag(string Name, string Value);
