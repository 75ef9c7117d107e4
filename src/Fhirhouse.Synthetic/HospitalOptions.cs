namespace Fhirhouse.Synthetic;

/// <summary>What to generate. <see cref="Validate"/> fails fast with a message naming the bad setting.</summary>
public sealed record HospitalOptions
{
    /// <summary>Number of patients (default 1000).</summary>
    public int Patients { get; init; } = 1000;

    /// <summary>Seed: the same options and seed give byte-identical output.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>First year of care (default 2022).</summary>
    public int FromYear { get; init; } = 2022;

    /// <summary>Last year of care, inclusive (default 2025).</summary>
    public int ToYear { get; init; } = 2025;

    /// <summary>Drift scenarios switched on from <see cref="DriftStart"/> (default: all).</summary>
    public IReadOnlySet<DriftScenario> Drift { get; init; } = DriftScenarios.All;

    /// <summary>Share of French-speaking patients (their names, addresses and notes are French); default 0.6.</summary>
    public double FrenchShare { get; init; } = 0.6;

    /// <summary>Output layout (default NDJSON in the Bulk Data layout).</summary>
    public OutputFormat Format { get; init; } = OutputFormat.Ndjson;

    /// <summary>Lines per NDJSON file before a new file is started (default 100,000).</summary>
    public int MaxResourcesPerFile { get; init; } = 100_000;

    /// <summary>The first day of care.</summary>
    public DateOnly Start => new(FromYear, 1, 1);

    /// <summary>The last day of care.</summary>
    public DateOnly End => new(ToYear, 12, 31);

    /// <summary>The day the drift scenarios begin: the middle of the span (2024-01-01 for 2022-2025).</summary>
    public DateOnly DriftStart => Start.AddDays((End.DayNumber - Start.DayNumber + 1) / 2);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting and what is accepted.</summary>
    public HospitalOptions Validate()
    {
        if (Patients is < 1 or > 50_000_000)
        {
            throw new ArgumentException($"patients must be between 1 and 50,000,000 (got {Patients}).");
        }

        if (FromYear is < 1950 or > 2100 || ToYear is < 1950 or > 2100)
        {
            throw new ArgumentException($"from and to must be years between 1950 and 2100 (got {FromYear} and {ToYear}).");
        }

        if (ToYear < FromYear)
        {
            throw new ArgumentException($"to ({ToYear}) must not be before from ({FromYear}).");
        }

        if (FrenchShare is < 0 or > 1 || double.IsNaN(FrenchShare))
        {
            throw new ArgumentException($"the French share must be between 0 and 1 (got {FrenchShare}).");
        }

        if (MaxResourcesPerFile < 1)
        {
            throw new ArgumentException($"the resources per file must be at least 1 (got {MaxResourcesPerFile}).");
        }

        return this;
    }
}
