namespace Fhirhouse.Governance.Research;

/// <summary>What a research export wrote: the file, the rows (or resources), the columns written and those left out.</summary>
public sealed record ResearchExportResult(string Path, long Rows, IReadOnlyList<string> Columns, IReadOnlyList<string> Removed);
