namespace Fhirhouse.Lake.Integrity;

/// <summary>What is wrong with one table's log as a whole (its hash chain or its head record), naming versions.</summary>
public sealed record TableProblem(string Table, string Message);
