namespace Fhirhouse.Ml.Features;

/// <summary>
/// One row of a feature table as training and scoring read it: who and when, the feature values in spec order
/// (a double, NaN when missing, or a string, null when missing) and the label (null while unknown).
/// </summary>
public sealed record FeatureRow(string PatientId, DateTimeOffset IndexTime, string? IndexId, object?[] Values, int? Label);
