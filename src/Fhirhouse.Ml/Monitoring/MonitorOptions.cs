using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// How <see cref="WindowMonitor"/> cuts the current rows into windows and tests each against the reference: calendar
/// windows (UTC) of <see cref="WindowMonths"/> months of the index time, per-feature and dataset drift by
/// <see cref="Drift"/> (Evidently's defaults), a domain classifier for multivariate drift, and windows of fewer than
/// <see cref="MinWindowRows"/> rows reported but not tested.
/// </summary>
public sealed record MonitorOptions
{
    /// <summary>The length of a window in calendar months (UTC) of the index time; 1 by default.</summary>
    public int WindowMonths { get; init; } = 1;

    /// <summary>How each feature's drift, the prediction's and the dataset's are decided.</summary>
    public DriftOptions Drift { get; init; } = new();

    /// <summary>Whether a classifier is trained to tell the reference from each window (multivariate drift).</summary>
    public bool DomainClassifier { get; init; } = true;

    /// <summary>
    /// The domain classifier's cross-validated AUROC at or above which a window has multivariate drift, at the least: a
    /// small window's AUROC varies more by chance, so the threshold is also at least 0.5 plus
    /// <see cref="DomainClassifierSigmas"/> standard deviations of the AUROC of two samples of those sizes that cannot be
    /// told apart (Mann-Whitney: sqrt((n1 + n2 + 1) / (12 n1 n2))).
    /// </summary>
    public double DomainClassifierThreshold { get; init; } = 0.55;

    /// <summary>How many chance standard deviations above 0.5 the domain classifier's AUROC must be (see <see cref="DomainClassifierThreshold"/>).</summary>
    public double DomainClassifierSigmas { get; init; } = 3;

    /// <summary>The domain classifier's threshold for a reference and a window of these sizes (each capped at <see cref="DomainClassifierMaxRows"/>).</summary>
    public double DomainThreshold(int referenceRows, int windowRows)
    {
        double n1 = Math.Min(referenceRows, DomainClassifierMaxRows), n2 = Math.Min(windowRows, DomainClassifierMaxRows);
        return Math.Max(DomainClassifierThreshold, 0.5 + (DomainClassifierSigmas * Math.Sqrt((n1 + n2 + 1) / (12 * n1 * n2))));
    }

    /// <summary>The folds of the domain classifier's cross-validation (patients are never split across folds).</summary>
    public int DomainClassifierFolds { get; init; } = 5;

    /// <summary>The most rows of each side (reference, window) the domain classifier learns from, sampled with <see cref="Seed"/> above it.</summary>
    public int DomainClassifierMaxRows { get; init; } = 5000;

    /// <summary>Windows with fewer rows are reported (counts, mean score) but not tested.</summary>
    public int MinWindowRows { get; init; } = 100;

    /// <summary>The seed of the domain classifier's sampling, folds and training.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range and the accepted values.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Drift, nameof(Drift));
        if (WindowMonths < 1)
        {
            throw new ArgumentException($"MonitorOptions.WindowMonths must be at least 1 (got {WindowMonths}).");
        }

        if (!(DomainClassifierThreshold > 0.5 && DomainClassifierThreshold <= 1))
        {
            throw new ArgumentException($"MonitorOptions.DomainClassifierThreshold must be above 0.5 and at most 1 (got {DomainClassifierThreshold}).");
        }

        if (!(DomainClassifierSigmas >= 0))
        {
            throw new ArgumentException($"MonitorOptions.DomainClassifierSigmas must be 0 or more (got {DomainClassifierSigmas}).");
        }

        if (DomainClassifierFolds < 2)
        {
            throw new ArgumentException($"MonitorOptions.DomainClassifierFolds must be at least 2 (got {DomainClassifierFolds}).");
        }

        if (DomainClassifierMaxRows < 10)
        {
            throw new ArgumentException($"MonitorOptions.DomainClassifierMaxRows must be at least 10 (got {DomainClassifierMaxRows}).");
        }

        if (MinWindowRows < 1)
        {
            throw new ArgumentException($"MonitorOptions.MinWindowRows must be at least 1 (got {MinWindowRows}).");
        }
    }
}
