using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Reporting;

/// <summary>
/// What a monitoring report shows: the model and the version monitored, the rows compared (reference and current, with
/// their scores), the monitor's windows, the alerts raised, the decisions taken about the model and its versions, and
/// when the report was made (given, never read from a clock, so the same input gives the same report).
/// </summary>
public sealed record MlReportInput(
    string Model,
    ModelVersion Monitored,
    MonitorInput Data,
    MonitoringReport Monitoring,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<ModelDecision> Decisions,
    IReadOnlyList<ModelVersion> Versions,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The share of drifted features at which a window's dataset drifts, drawn on the drift figure (the monitor's <see cref="DriftOptions.DatasetShare"/>).</summary>
    public double DatasetThreshold { get; init; } = new DriftOptions().DatasetShare;
}
