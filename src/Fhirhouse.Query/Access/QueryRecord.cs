namespace Fhirhouse.Query.Access;

/// <summary>One statement as the audit sees it: its text, the lake tables it named, rows returned (0 unless ok), outcome and reason.</summary>
public sealed record QueryRecord(string Sql, IReadOnlyList<string> Tables, long Rows, QueryOutcome Outcome, string? Reason);
