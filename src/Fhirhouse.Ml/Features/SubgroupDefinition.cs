namespace Fhirhouse.Ml.Features;

/// <summary>
/// A subgroup metrics are also computed for and gates bound: the values of a categorical feature, or bands of a
/// numeric one cut at <see cref="Bands"/> (<c>[40, 65]</c>: below 40, 40 to 64.99..., 65 and above).
/// </summary>
public sealed record SubgroupDefinition(string Name, string Feature, IReadOnlyList<double> Bands)
{
    /// <summary>The subgroup a value falls in (<c>age_band=40-65</c>), or null when the value is missing.</summary>
    public string? GroupOf(object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Bands.Count == 0)
        {
            return $"{Name}={value}";
        }

        var x = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        if (double.IsNaN(x))
        {
            return null;
        }

        var i = 0;
        while (i < Bands.Count && x >= Bands[i])
        {
            i++;
        }

        string Cut(double b) => b.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        return i == 0 ? $"{Name}<{Cut(Bands[0])}" : i == Bands.Count ? $"{Name}>={Cut(Bands[^1])}" : $"{Name}={Cut(Bands[i - 1])}-{Cut(Bands[i])}";
    }
}
