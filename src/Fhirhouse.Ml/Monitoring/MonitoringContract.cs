using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Statistics;

// The monitoring records the report reads, as agreed with the Monitoring work; deleted at merge, when the real ones arrive.
namespace Fhirhouse.Ml.Monitoring;

public sealed record MonitorInput(IReadOnlyList<FeatureDefinition> Features, IReadOnlyList<FeatureRow> Reference, IReadOnlyList<double> ReferenceScores, IReadOnlyList<FeatureRow> Current, IReadOnlyList<double> CurrentScores);

public sealed record WindowResult(DateTimeOffset Start, DateTimeOffset End, int Rows, int LabelledRows, int Positives,
   DatasetDrift? Data, FeatureDrift? Prediction, double? DomainAuroc, bool? MultivariateDrift,
   double? EstimatedAuroc, double? RealisedAuroc, double? RealisedBrier, double MeanScore, string? Skipped);

public sealed record MonitoringReport(double ReferenceAuroc, int ReferenceRows, IReadOnlyList<WindowResult> Windows);

public sealed record Alert(DateTimeOffset Window, string Rule, string Reason, IReadOnlyList<string> Features);
