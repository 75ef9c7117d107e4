namespace Fhirhouse.Delta;

/// <summary>
/// What VACUUM deleted (or, in a dry run, would delete): object keys in the store; and the files it kept because no
/// commit names them and they are younger than the grace asked for (a writer may still commit them).
/// </summary>
public sealed record VacuumResult(IReadOnlyList<string> DeletedKeys, bool DryRun, IReadOnlyList<string>? KeptUncommitted = null);
