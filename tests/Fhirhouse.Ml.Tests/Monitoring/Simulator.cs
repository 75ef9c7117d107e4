using Fhirhouse.Ml.Features;

namespace Fhirhouse.Ml.Tests.Monitoring;

/// <summary>
/// Seeded rows for the monitoring tests: <see cref="Numeric"/> numeric features (gaussian, the last two lognormal) and
/// <see cref="Categorical"/> categorical ones, the outcome drawn from a fixed logistic P(y | x), and the score the true
/// probability. A <see cref="Shift"/> moves the features (in standard deviations), changes the first categorical's
/// shares, or correlates the first two features, without touching P(y | x): pure covariate shift.
/// </summary>
internal sealed class Simulator(int numeric = 8, int categorical = 2)
{
    private static readonly double[] Weights = [0.9, -0.7, 0.6, 0.4, -0.3, 0.2, 0.5, -0.4];
    private static readonly string[] Colours = ["amber", "blue", "green"];

    public int Numeric => numeric;

    public int Categorical => categorical;

    public IReadOnlyList<FeatureDefinition> Features =>
        [.. Enumerable.Range(0, numeric).Select(i => Definition($"x{i}", false)), .. Enumerable.Range(0, categorical).Select(i => Definition($"c{i}", true))];

    /// <summary><paramref name="n"/> rows with index times spread over the month of <paramref name="month"/>, every label known.</summary>
    public (List<FeatureRow> Rows, List<double> Scores) Rows(Random random, int n, DateTimeOffset month, Shift? shift = null, string patientPrefix = "p")
    {
        shift ??= new Shift();
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var rows = new List<FeatureRow>(n);
        var scores = new List<double>(n);
        for (var r = 0; r < n; r++)
        {
            var values = new object?[numeric + categorical];
            var logit = -0.8;
            var first = Gaussian(random);
            for (var i = 0; i < numeric; i++)
            {
                var z = i == 0 ? first : Gaussian(random);
                if (i == 1 && shift.Correlation != 0)
                {
                    z = (shift.Correlation * first) + (Math.Sqrt(1 - (shift.Correlation * shift.Correlation)) * z);
                }

                z += i < shift.Means.Length ? shift.Means[i] : 0;
                var lognormal = numeric >= 8 && i >= numeric - 2;
                values[i] = lognormal ? Math.Exp(1 + (0.5 * z)) : 10 + (3 * z);
                logit += Weights[i % Weights.Length] * z;
            }

            for (var c = 0; c < categorical; c++)
            {
                var u = random.NextDouble();
                if (c == 0)
                {
                    var amber = 0.5 - shift.CategoryShare;
                    var colour = u < amber ? 0 : u < 0.8 ? 1 : 2;
                    values[numeric] = Colours[colour];
                    logit += colour == 2 ? 0.6 : colour == 1 ? -0.3 : 0;
                }
                else
                {
                    var yes = u < 0.3;
                    values[numeric + c] = yes ? "yes" : "no";
                    logit += yes ? 0.5 : 0;
                }
            }

            var p = 1 / (1 + Math.Exp(-logit));
            var label = random.NextDouble() < p ? 1 : 0;
            var time = month.AddDays(random.Next(days)).AddMinutes(random.Next(24 * 60));
            rows.Add(new FeatureRow($"{patientPrefix}{r}", time, null, values, label));
            scores.Add(p);
        }

        return (rows, scores);
    }

    public static double Gaussian(Random random)
    {
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    private static FeatureDefinition Definition(string name, bool categorical) =>
        new(name, "simulated", categorical ? FeatureAggregate.Value : FeatureAggregate.Last, name, null, null, categorical);
}
