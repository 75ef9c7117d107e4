namespace Fhirhouse.Ml.Tests.Monitoring;

/// <summary>
/// A change of the features' distribution: <see cref="Means"/> in standard deviations per numeric feature,
/// <see cref="CategoryShare"/> moved from the first categorical's first value to its second, and the correlation of
/// the first two numeric features.
/// </summary>
internal sealed record Shift(double[] Means, double CategoryShare = 0, double Correlation = 0)
{
    public Shift()
        : this([])
    {
    }
}
