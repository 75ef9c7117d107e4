namespace Fhirhouse.Ml.Monitoring;

/// <summary>A monitoring run: the model's AUROC on the reference rows, their count, and each window with rows, oldest first.</summary>
public sealed record MonitoringReport(double ReferenceAuroc, int ReferenceRows, IReadOnlyList<WindowResult> Windows);
