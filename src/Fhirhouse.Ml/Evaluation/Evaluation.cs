using Fhirhouse.Ml.Features;

namespace Fhirhouse.Ml.Evaluation;

/// <summary>A model's performance on a set of labelled rows, overall and in each subgroup of the spec (by name, <c>sex=female</c>).</summary>
public sealed record Evaluation(Performance Overall, IReadOnlyDictionary<string, Performance> Subgroups)
{
    /// <summary>Evaluates <paramref name="probabilities"/> (one per row) against the rows' labels; unlabelled rows are skipped.</summary>
    public static Evaluation Of(FeatureSpec spec, IReadOnlyList<FeatureRow> rows, IReadOnlyList<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (rows.Count != probabilities.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {probabilities.Count} probabilities.", nameof(probabilities));
        }

        var labelled = Enumerable.Range(0, rows.Count).Where(i => rows[i].Label is not null).ToList();
        var groups = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var subgroup in spec.Subgroups)
        {
            var column = spec.Features.ToList().FindIndex(f => f.Name == subgroup.Feature);
            foreach (var i in labelled)
            {
                var value = rows[i].Values[column];
                if (subgroup.GroupOf(value is double d && double.IsNaN(d) ? null : value) is { } group)
                {
                    if (!groups.TryGetValue(group, out var members))
                    {
                        groups[group] = members = [];
                    }

                    members.Add(i);
                }
            }
        }

        Performance Of(List<int> members) => Performance.Of([.. members.Select(i => probabilities[i])], [.. members.Select(i => rows[i].Label == 1)]);
        return new Evaluation(Of(labelled), groups.ToDictionary(g => g.Key, g => Of(g.Value), StringComparer.Ordinal));
    }
}
