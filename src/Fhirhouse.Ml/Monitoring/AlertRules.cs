namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// When <see cref="Alerts.Evaluate"/> raises an alert: the dataset drifting in <see cref="DatasetDriftWindows"/>
/// consecutive tested windows, the estimated or the realised AUROC more than its bound below the reference's, and
/// (when <see cref="MultivariateDrift"/>) the domain classifier telling a window from the reference.
/// </summary>
public sealed record AlertRules
{
    public int DatasetDriftWindows { get; init; } = 2;

    public double MaxEstimatedAurocDrop { get; init; } = 0.05;

    public double MaxRealisedAurocDrop { get; init; } = 0.05;

    public bool MultivariateDrift { get; init; } = true;
}
