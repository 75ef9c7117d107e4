using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>A compiled column: its expression and the slot of the output row it fills.</summary>
internal sealed record ColumnPlan(ViewColumn Column, FhirPathNode Expression, int Slot, string Path);
