using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// One window of the current rows against the reference: its span [<see cref="Start"/>, <see cref="End"/>) in UTC, its
/// counts, the features' and the dataset's drift (<see cref="Data"/>), the scores' drift (<see cref="Prediction"/>),
/// the domain classifier's cross-validated AUROC and decision, the AUROC estimated without labels (CBPE), the AUROC
/// and Brier score realised on the rows already labelled (when both outcomes are present) and the mean score.
/// A window that was not tested says why in <see cref="Skipped"/>, its tests null.
/// </summary>
public sealed record WindowResult(
    DateTimeOffset Start,
    DateTimeOffset End,
    int Rows,
    int LabelledRows,
    int Positives,
    DatasetDrift? Data,
    FeatureDrift? Prediction,
    double? DomainAuroc,
    bool? MultivariateDrift,
    double? EstimatedAuroc,
    double? RealisedAuroc,
    double? RealisedBrier,
    double MeanScore,
    string? Skipped);
