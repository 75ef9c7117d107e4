namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// When <see cref="Alerts.Evaluate"/> raises an alert: the dataset drifting in <see cref="DatasetDriftWindows"/>
/// consecutive tested windows, the estimated or the realised AUROC more than its bound below the reference's, and
/// (when <see cref="MultivariateDrift"/>) the domain classifier telling <see cref="MultivariateDriftWindows"/>
/// consecutive tested windows from the reference.
/// </summary>
public sealed record AlertRules
{
    public int DatasetDriftWindows { get; init; } = 2;

    public double MaxEstimatedAurocDrop { get; init; } = 0.05;

    public double MaxRealisedAurocDrop { get; init; } = 0.05;

    public bool MultivariateDrift { get; init; } = true;

    /// <summary>
    /// Consecutive tested windows the domain classifier must tell apart before <c>multivariate-drift</c> is raised (on
    /// the synthetic hospital without drift it flags 5-8 % of single windows, mostly months unlike the reference year's
    /// mix, such as winters: two in a row rule out most of them).
    /// </summary>
    public int MultivariateDriftWindows { get; init; } = 2;

    /// <summary>
    /// Consecutive windows whose estimated (or realised) AUROC is more than its bound below the reference's before the
    /// drop is an alert: a month's AUROC over a few dozen positives varies by several hundredths by chance alone.
    /// </summary>
    public int AurocDropWindows { get; init; } = 2;

    /// <summary>The fewest labelled rows of each outcome a window needs for its realised AUROC to count towards an alert.</summary>
    public int MinLabelledOutcomes { get; init; } = 10;
}
