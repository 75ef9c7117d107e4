namespace Fhirhouse.Governance.Research;

/// <summary>The file a research export writes: a Parquet table, or NDJSON (one object per row, or one resource per line).</summary>
public enum ResearchExportFormat
{
    Parquet,
    Ndjson,
}
