using System.Buffers.Binary;
using System.Security.Cryptography;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Statistics;
using Fhirhouse.Ml.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// Multivariate drift: how well a small gradient-boosted model (FastTree, 50 trees of 8 leaves, seeded, one thread)
/// tells the reference rows (0) from a window's (1), as the AUROC of its out-of-fold scores over k folds cut by a hash
/// of the seed and the patient id (one patient never on both sides of a fold). 0.5 when the two cannot be told apart.
/// </summary>
internal sealed class DomainClassifier
{
    private const int Trees = 50;
    private const int Leaves = 8;
    private const int MinimumLeafRows = 20;

    private readonly IReadOnlyList<FeatureDefinition> _features;
    private readonly IReadOnlyList<FeatureRow> _reference;
    private readonly MonitorOptions _options;

    public DomainClassifier(IReadOnlyList<FeatureDefinition> features, IReadOnlyList<FeatureRow> reference, MonitorOptions options)
    {
        _features = features;
        _options = options;
        _reference = Sample(reference, options.DomainClassifierMaxRows, options.Seed);
    }

    /// <summary>The cross-validated AUROC of telling <paramref name="window"/> from the reference.</summary>
    public double CrossValidatedAuroc(IReadOnlyList<FeatureRow> window)
    {
        var current = Sample(window, _options.DomainClassifierMaxRows, _options.Seed);
        var rows = new List<(FeatureRow Row, bool Current)>(_reference.Count + current.Count);
        rows.AddRange(_reference.Select(r => (r, false)));
        rows.AddRange(current.Select(r => (r, true)));
        var encoding = EncodingOf(rows.Select(r => r.Row));
        var vectors = rows.Select(r => encoding.Encode(r.Row)).ToArray();
        var folds = rows.Select(r => Fold(r.Row.PatientId)).ToArray();
        var scores = new double[rows.Count];
        var labels = rows.Select(r => r.Current).ToArray();
        for (var fold = 0; fold < _options.DomainClassifierFolds; fold++)
        {
            var test = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToArray();
            var train = Enumerable.Range(0, rows.Count).Where(i => folds[i] != fold).ToArray();
            if (test.Length == 0 || !train.Any(i => labels[i]) || !train.Any(i => !labels[i]))
            {
                continue;
            }

            var ml = new MLContext(_options.Seed);
            var model = Pipeline(ml).Fit(ModelInput.View(ml, train.Select(i => new ModelInput { Features = vectors[i], Label = labels[i] }), encoding.Width));
            var scored = model.Transform(ModelInput.View(ml, test.Select(i => new ModelInput { Features = vectors[i], Label = labels[i] }), encoding.Width));
            var k = 0;
            foreach (var score in scored.GetColumn<float>("Score"))
            {
                scores[test[k++]] = score;
            }
        }

        return ClassifierMetrics.Auroc(scores, labels);
    }

    /// <summary>Up to <paramref name="max"/> of the rows, chosen with a seeded shuffle and kept in their order.</summary>
    internal static IReadOnlyList<FeatureRow> Sample(IReadOnlyList<FeatureRow> rows, int max, int seed)
    {
        if (rows.Count <= max)
        {
            return rows;
        }

        var random = new Random(seed);
        var index = Enumerable.Range(0, rows.Count).ToArray();
        for (var i = 0; i < max; i++)
        {
            var j = random.Next(i, index.Length);
            (index[i], index[j]) = (index[j], index[i]);
        }

        Array.Sort(index, 0, max);
        return [.. index.Take(max).Select(i => rows[i])];
    }

    private int Fold(string patientId)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{_options.Seed}:{patientId}"));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)_options.DomainClassifierFolds);
    }

    private FeatureEncoding EncodingOf(IEnumerable<FeatureRow> rows)
    {
        var categories = _features.Select(f => f.Categorical ? new Dictionary<string, int>(StringComparer.Ordinal) : null).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < categories.Length; i++)
            {
                if (categories[i] is { } counts && row.Values[i] is string value)
                {
                    counts[value] = counts.GetValueOrDefault(value) + 1;
                }
            }
        }

        return new FeatureEncoding(
            [.. _features.Select(f => f.Name)],
            [.. categories.Select(c => c is null
                ? null
                : (IReadOnlyList<string>)[.. c.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(FeatureEncoding.MaxCategories).Select(kv => kv.Key)])]);
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.IndicateMissingValues("Missing", "Features")
            .Append(ml.Transforms.Conversion.ConvertType("Missing", outputKind: DataKind.Single))
            .Append(ml.Transforms.ReplaceMissingValues("Features", replacementMode: MissingValueReplacingEstimator.ReplacementMode.DefaultValue))
            .Append(ml.Transforms.Concatenate("Features", "Features", "Missing"))
            .Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = Trees,
                NumberOfLeaves = Leaves,
                MinimumExampleCountPerLeaf = MinimumLeafRows,
                NumberOfThreads = 1,
            }));
}
