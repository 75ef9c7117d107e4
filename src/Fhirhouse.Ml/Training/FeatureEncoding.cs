using Fhirhouse.Ml.Features;

namespace Fhirhouse.Ml.Training;

/// <summary>
/// How a row's features become the model's input vector: numeric features as they are (NaN when missing: the model adds
/// a missing indicator and reads 0), each categorical feature one-hot over the values seen in training (at most
/// <see cref="MaxCategories"/>, most frequent first, ties by value), an unseen or missing value as all zeros. Kept with
/// the model so scoring encodes exactly as training did.
/// </summary>
public sealed record FeatureEncoding(IReadOnlyList<string> Features, IReadOnlyList<IReadOnlyList<string>?> Categories)
{
    /// <summary>The most values a categorical feature keeps.</summary>
    public const int MaxCategories = 32;

    /// <summary>The length of the input vector.</summary>
    public int Width => Categories.Sum(c => c?.Count ?? 1);

    /// <summary>The input vector's slot names (<c>age</c>, <c>sex=female</c>).</summary>
    public IReadOnlyList<string> SlotNames => [.. Features.SelectMany((f, i) => Categories[i] is { } values ? values.Select(v => $"{f}={v}") : [f])];

    /// <summary>The encoding learned from <paramref name="rows"/> of <paramref name="spec"/>.</summary>
    public static FeatureEncoding Learn(FeatureSpec spec, IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rows);
        var categories = new List<IReadOnlyList<string>?>();
        for (var i = 0; i < spec.Features.Count; i++)
        {
            if (!spec.Features[i].Categorical)
            {
                categories.Add(null);
                continue;
            }

            var column = i;
            categories.Add([.. rows.Select(r => r.Values[column] as string).OfType<string>()
                .GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(MaxCategories).Select(g => g.Key)]);
        }

        return new FeatureEncoding([.. spec.Features.Select(f => f.Name)], categories);
    }

    /// <summary>The input vector of one row.</summary>
    public float[] Encode(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var vector = new float[Width];
        var slot = 0;
        for (var i = 0; i < Features.Count; i++)
        {
            if (Categories[i] is { } values)
            {
                if (row.Values[i] is string value)
                {
                    for (var k = 0; k < values.Count; k++)
                    {
                        if (string.Equals(values[k], value, StringComparison.Ordinal))
                        {
                            vector[slot + k] = 1;
                            break;
                        }
                    }
                }

                slot += values.Count;
            }
            else
            {
                vector[slot++] = row.Values[i] is double d ? (float)d : float.NaN;
            }
        }

        return vector;
    }
}
