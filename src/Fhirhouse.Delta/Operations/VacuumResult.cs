namespace Fhirhouse.Delta;

/// <summary>What VACUUM deleted (or, in a dry run, would delete): object keys in the store.</summary>
public sealed record VacuumResult(IReadOnlyList<string> DeletedKeys, bool DryRun);
