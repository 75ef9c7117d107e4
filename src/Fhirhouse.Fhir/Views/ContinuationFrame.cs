using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>What an enclosing select still has to combine into the current row: its parts from <see cref="Index"/> on.</summary>
internal readonly record struct ContinuationFrame(SelectPlan[] Parts, int Index, FhirItem Focus, int RowIndex);
