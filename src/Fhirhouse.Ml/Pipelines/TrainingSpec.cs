namespace Fhirhouse.Ml.Pipelines;

/// <summary>
/// How a model is trained: the trainer (<c>fasttree</c> or <c>lightgbm</c>, both gradient-boosted trees from ML.NET),
/// the index times it learns from (<see cref="From"/> inclusive to <see cref="To"/> exclusive), the share of patients
/// held out for evaluation (by patient, so one patient's rows never sit on both sides), the seed and the trainer's
/// settings.
/// </summary>
public sealed record TrainingSpec(string Trainer, DateTimeOffset From, DateTimeOffset To, double Holdout, int Seed, int Trees, int Leaves, double LearningRate, int MinimumExampleCountPerLeaf)
{
    /// <summary>The trainers a spec may name.</summary>
    public static IReadOnlyList<string> Trainers { get; } = ["fasttree", "lightgbm"];
}
