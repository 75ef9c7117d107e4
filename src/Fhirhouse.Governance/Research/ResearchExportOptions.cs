namespace Fhirhouse.Governance.Research;

/// <summary>
/// What a research export reads (exactly one of <see cref="Sql"/>, <see cref="View"/>, <see cref="ResourceType"/>), how it
/// writes it and how far it de-identifies. <see cref="Validate"/> names the bad setting.
/// </summary>
public sealed record ResearchExportOptions
{
    /// <summary>A read-only SQL statement over the lake's tables.</summary>
    public string? Sql { get; init; }

    /// <summary>A materialised view (<c>tables/views/NAME</c>), exported whole.</summary>
    public string? View { get; init; }

    /// <summary>Whole current resources of one type (from <c>fhir_current</c> and bronze), written as NDJSON.</summary>
    public string? ResourceType { get; init; }

    public ResearchExportFormat Format { get; init; } = ResearchExportFormat.Parquet;

    /// <summary>The file to write (created or replaced).</summary>
    public required string OutputPath { get; init; }

    /// <summary>Keep clinical free text (notes, narrative, document content, comments). Names, addresses and contacts are removed regardless.</summary>
    public bool KeepText { get; init; }

    /// <summary>Largest date shift, in days, either way (default 365): each patient's dates move by 1 to this many days.</summary>
    public int MaxShiftDays { get; init; } = 365;

    public ResearchExportOptions Validate()
    {
        var sources = (Sql is null ? 0 : 1) + (View is null ? 0 : 1) + (ResourceType is null ? 0 : 1);
        if (sources != 1)
        {
            throw new ArgumentException("A research export reads exactly one of: a SQL statement (--sql), a view (--view) or the resources of a type (--resources).");
        }

        if (ResourceType is not null && Format != ResearchExportFormat.Ndjson)
        {
            throw new ArgumentException("Whole resources (--resources) are written as NDJSON: use --format ndjson.");
        }

        if (View is not null && (View.Length == 0 || !View.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"'{View}' is not a view name (letters, digits and '_').");
        }

        if (ResourceType is not null && !Fhir.Resources.FhirResourceTypes.IsKnown(ResourceType))
        {
            throw new ArgumentException($"'{ResourceType}' is not an R4 resource type.");
        }

        if (string.IsNullOrWhiteSpace(OutputPath))
        {
            throw new ArgumentException("A research export needs an output file (--out).");
        }

        if (MaxShiftDays is < 1 or > 3650)
        {
            throw new ArgumentException($"The largest date shift must be between 1 and 3650 days (got {MaxShiftDays}).");
        }

        return this;
    }
}
