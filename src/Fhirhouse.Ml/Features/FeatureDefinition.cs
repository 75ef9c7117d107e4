namespace Fhirhouse.Ml.Features;

/// <summary>
/// One feature: its column name, the source it reads, the rows it keeps (<see cref="Where"/>, SQL over the source's
/// columns), the <see cref="Value"/> expression and how rows reduce (<see cref="Aggregate"/>) over the
/// <see cref="WindowDays"/> before the index time (all history when null). Only rows strictly before the index time
/// are ever read. <see cref="Categorical"/> features are strings; the others are numbers.
/// </summary>
public sealed record FeatureDefinition(string Name, string Source, FeatureAggregate Aggregate, string Value, string? Where, int? WindowDays, bool Categorical);
