namespace Fhirhouse.Storage.Lake;

/// <summary>One object that failed verification: its key, why, and the error message.</summary>
public sealed record ObjectProblem(string Key, ObjectProblemKind Kind, string Message);
