using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace Fhirhouse.Ml.Training;

/// <summary>
/// Trains a pipeline's model on labelled feature rows with ML.NET's gradient-boosted trees, seeded and on one thread so
/// the same rows and spec give the same model bytes: patients are split into training and holdout by a hash of the seed
/// and their id (one patient's rows are never on both sides), missing numbers get an indicator and read 0, and the
/// holdout is scored for the evaluation.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Trains on <paramref name="rows"/> (those without a label are skipped). Throws <see cref="MlSpecException"/> when a side of the split lacks an outcome.</summary>
    public static TrainedModel Train(PipelineSpec spec, IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rows);
        var training = spec.Training;
        var labelled = rows.Where(r => r.Label is not null).ToList();
        var holdout = labelled.Where(r => IsHoldout(r.PatientId, training)).ToList();
        var train = labelled.Where(r => !IsHoldout(r.PatientId, training)).ToList();
        foreach (var (side, set) in new[] { ("training", train), ("holdout", holdout) })
        {
            var positives = set.Count(r => r.Label == 1);
            if (positives == 0 || positives == set.Count)
            {
                throw new MlSpecException("training", $"the {side} rows ({set.Count}, {positives} positive) do not hold both outcomes: widen training.from/to or change the holdout share.");
            }
        }

        var encoding = FeatureEncoding.Learn(spec.Features, train);
        var ml = new MLContext(training.Seed);
        var data = ModelInput.View(ml, train.Select(r => new ModelInput { Features = encoding.Encode(r), Label = r.Label == 1 }), encoding.Width);
        var model = Pipeline(ml, training).Fit(data);
        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            ml.Model.Save(model, data.Schema, stream);
            bytes = Canonical(stream.ToArray());
        }

        var probabilities = new ModelScorer(bytes, encoding).Score(holdout);
        return new TrainedModel(
            bytes, encoding, Evaluation.Evaluation.Of(spec.Features, holdout, probabilities),
            train.Count, train.Select(r => r.PatientId).Distinct(StringComparer.Ordinal).Count(), train.Count(r => r.Label == 1),
            holdout.Count, holdout.Select(r => r.PatientId).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>True when the patient is in the holdout: the first 8 bytes of SHA-256("seed:patient") as a fraction below the holdout share.</summary>
    public static bool IsHoldout(string patientId, TrainingSpec training)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        ArgumentNullException.ThrowIfNull(training);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{training.Seed}:{patientId}"));
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0 < training.Holdout;
    }

    /// <summary>
    /// The model zip with every entry's time set to 1980-01-01 (ML.NET stamps entries with the clock), entries in their
    /// order: the same model always has the same bytes.
    /// </summary>
    private static byte[] Canonical(byte[] zip)
    {
        var stamp = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = stamp;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, TrainingSpec training)
    {
        var prepare = ml.Transforms.IndicateMissingValues("Missing", "Features")
            .Append(ml.Transforms.Conversion.ConvertType("Missing", outputKind: Microsoft.ML.Data.DataKind.Single))
            .Append(ml.Transforms.ReplaceMissingValues("Features", replacementMode: MissingValueReplacingEstimator.ReplacementMode.DefaultValue))
            .Append(ml.Transforms.Concatenate("Features", "Features", "Missing"));
        return training.Trainer switch
        {
            "lightgbm" => prepare.Append(ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = training.Trees,
                NumberOfLeaves = training.Leaves,
                LearningRate = training.LearningRate,
                MinimumExampleCountPerLeaf = training.MinimumExampleCountPerLeaf,
                Seed = training.Seed,
                Deterministic = true,
                NumberOfThreads = 1,
                Verbose = false,
                Silent = true,
            })),
            _ => prepare.Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = training.Trees,
                NumberOfLeaves = training.Leaves,
                LearningRate = training.LearningRate,
                MinimumExampleCountPerLeaf = training.MinimumExampleCountPerLeaf,
                NumberOfThreads = 1,
            })),
        };
    }
}
