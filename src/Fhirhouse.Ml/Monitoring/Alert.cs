namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// One alert: the window it is raised in (its start), the rule (<c>dataset-drift</c>, <c>estimated-auroc-drop</c>,
/// <c>realised-auroc-drop</c>, <c>multivariate-drift</c>), the reason in words with its figures, and the window's
/// drifted features, most drifted first.
/// </summary>
public sealed record Alert(DateTimeOffset Window, string Rule, string Reason, IReadOnlyList<string> Features);
