using Fhirhouse.Ml.Evaluation;

namespace Fhirhouse.Ml.Training;

/// <summary>
/// A model as trained: the ML.NET model (<see cref="Bytes"/>, a zip: the missing-value handling and the trees), the
/// encoding of its input, its holdout evaluation, and what it learned from (rows and patients on each side of the split,
/// positives in training).
/// </summary>
public sealed record TrainedModel(
    byte[] Bytes,
    FeatureEncoding Encoding,
    Evaluation.Evaluation Holdout,
    int TrainingRows,
    int TrainingPatients,
    int TrainingPositives,
    int HoldoutRows,
    int HoldoutPatients)
{
    /// <summary>The SHA-256 (lowercase hex) of <see cref="Bytes"/>.</summary>
    public string Sha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Bytes));
}
