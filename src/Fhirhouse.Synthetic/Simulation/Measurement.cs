using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>A measured value as reported (rounded to the test's decimals), with the reference range in force.</summary>
internal sealed record Measurement(LabTest Test, double Value, double RangeHigh);
