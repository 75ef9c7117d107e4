using Fhirhouse.Ml.Features;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// What a monitoring run compares: the features in row order, the reference rows (the model's training period, with
/// their labels) and the model's scores for them (calibrated probabilities, one per row, in row order), and the current
/// rows with their scores (labels where already known).
/// </summary>
public sealed record MonitorInput(
    IReadOnlyList<FeatureDefinition> Features,
    IReadOnlyList<FeatureRow> Reference,
    IReadOnlyList<double> ReferenceScores,
    IReadOnlyList<FeatureRow> Current,
    IReadOnlyList<double> CurrentScores);
