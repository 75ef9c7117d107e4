using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>A measured value as reported (rounded to the test's decimals), with the reference range in force.</summary>
internal sealed record Measurement(LabTest Test, double Value, double RangeHigh)
{
    /// <summary>A value kept within [<paramref name="min"/>, <paramref name="max"/>], rounded, with the test's upper limit.</summary>
    public static Measurement Of(LabTest test, double value, double min, double max)
    {
        var rounded = Math.Round(Math.Clamp(value, min, max), test.Decimals);
        return new Measurement(test, rounded, test.High);
    }
}
