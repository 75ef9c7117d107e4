namespace Fhirhouse.Ml.Pipelines;

/// <summary>
/// What a model must show on its holdout to be registered as a candidate for champion: a minimum AUROC, a maximum
/// Brier score and expected calibration error, and, in every subgroup with at least <see cref="MinimumSubgroupRows"/>
/// rows (and both outcomes), an AUROC no more than <see cref="MaxSubgroupAurocDrop"/> below the overall one. A
/// challenger replaces the champion only when it beats it on the same recent holdout (a higher AUROC) and no subgroup
/// loses more than <see cref="MaxSubgroupLossVersusChampion"/> of AUROC against the champion there.
/// </summary>
public sealed record GateSpec(double MinAuroc, double MaxBrier, double MaxCalibrationError, double MaxSubgroupAurocDrop, int MinimumSubgroupRows, double MaxSubgroupLossVersusChampion);
