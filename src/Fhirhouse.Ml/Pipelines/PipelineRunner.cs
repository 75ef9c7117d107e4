using Fhirhouse.Delta;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Training;
using Fhirhouse.Query;
using Fhirhouse.Storage;

namespace Fhirhouse.Ml.Pipelines;

/// <summary>What a pipeline run may change: the training window (retraining on recent data) and whether it may promote.</summary>
public sealed record PipelineRunOptions
{
    /// <summary>Outcomes due after this time are unknown (null: the latest time any source holds).</summary>
    public DateTimeOffset? LabelsKnownUntil { get; init; }

    /// <summary>The first index time trained on, instead of the spec's <c>training.from</c>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The index time training stops before, instead of the spec's <c>training.to</c>.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>False: train, gate and register only (<c>ml train</c>); true: also decide the champion (<c>ml run</c>).</summary>
    public bool Promote { get; init; } = true;

    /// <summary>Why the run was started (an alert, a schedule, a person), recorded with its decisions.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// What a pipeline run did: the pipeline revision, the feature build, the model registered and its gates, and, when it
/// passed them and a champion exists, the comparison with the champion on the new model's holdout; the decision made.
/// </summary>
public sealed record PipelineRun(long Revision, FeatureBuild Features, int Rows, ModelVersion Model, GateResult Gates, GateResult? Comparison, ModelDecision? Decision)
{
    /// <summary>Seconds spent building the feature table.</summary>
    public double FeatureSeconds { get; init; }

    /// <summary>Seconds spent training and evaluating on the holdout (ML.NET, one thread).</summary>
    public double TrainingSeconds { get; init; }
}

/// <summary>
/// The CI/CD of a model (<c>ml train</c>, <c>ml run</c>): records the spec as a pipeline revision, builds its feature
/// table through the host's query engine, re-reads the rows of the training window at the version just written, trains
/// (seeded), checks the gates, registers the model with its lineage and the gates' reasons, and (with
/// <see cref="PipelineRunOptions.Promote"/>) decides: a model that failed its gates is never promoted; the first to pass
/// becomes champion; a later one must beat the champion on its own holdout (the champion scored on the same rows) with no
/// subgroup worse beyond the bound, else it stays challenger, declined with the reasons.
/// </summary>
public sealed class PipelineRunner(IObjectStore lake, QueryEngine engine, TimeProvider time, DeltaTableOptions? tableOptions = null)
{
    private readonly ModelRegistry _registry = new(lake, time, tableOptions);

    /// <summary>The registry the runner registers into.</summary>
    public ModelRegistry Registry => _registry;

    /// <summary>Runs <paramref name="spec"/> as <paramref name="user"/>.</summary>
    public async Task<PipelineRun> RunAsync(PipelineSpec spec, string user, PipelineRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(user);
        options ??= new PipelineRunOptions();
        var training = spec.Training with { From = options.From ?? spec.Training.From, To = options.To ?? spec.Training.To };
        if (training.From >= training.To)
        {
            throw new MlSpecException("training", $"the training window [{training.From:yyyy-MM-dd}, {training.To:yyyy-MM-dd}) is empty.");
        }

        var run = spec with { Training = training };
        var revision = await _registry.SavePipelineAsync(spec, user, cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var build = await new FeatureBuilder(lake, engine, tableOptions).BuildAsync(spec.Features, options.LabelsKnownUntil, cancellationToken).ConfigureAwait(false);
        var (rows, _) = await FeatureRows.ReadAsync(engine, spec.Features, build.Version, training.From, training.To, cancellationToken).ConfigureAwait(false);
        var featureSeconds = time.GetElapsedTime(started).TotalSeconds;
        started = time.GetTimestamp();
        var trained = ModelTrainer.Train(run, rows);
        var trainingSeconds = time.GetElapsedTime(started).TotalSeconds;
        var gates = Gates.Check(spec.Gates, trained.Holdout);
        var model = await _registry.RegisterAsync(run, revision, build, trained, gates, user, cancellationToken).ConfigureAwait(false);
        if (!options.Promote || !gates.Passed)
        {
            return new PipelineRun(revision, build, rows.Count, model, gates, null, null) { FeatureSeconds = featureSeconds, TrainingSeconds = trainingSeconds };
        }

        var why = options.Reason is { } reason ? [reason] : Array.Empty<string>();
        var champion = (await _registry.AliasesAsync(spec.Name, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(ModelRegistry.Champion);
        if (champion is not { } championVersion)
        {
            var first = await _registry.PromoteAsync(spec.Name, model.Version, ModelRegistry.Champion, [.. why, "the first version to pass its gates", .. gates.Passes], user, cancellationToken).ConfigureAwait(false);
            return new PipelineRun(revision, build, rows.Count, model, gates, null, first) { FeatureSeconds = featureSeconds, TrainingSeconds = trainingSeconds };
        }

        var current = await _registry.GetAsync(spec.Name, championVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!string.Equals(current.FeatureSpecHash, model.FeatureSpecHash, StringComparison.Ordinal))
        {
            var declined = await _registry.DeclineAsync(spec.Name, model.Version,
                [.. why, $"the champion {current} learned other features (spec {current.FeatureSpecHash[..12]}, this one {model.FeatureSpecHash[..12]}): no automatic comparison; compare them with ml evaluate and promote by hand"],
                user, cancellationToken).ConfigureAwait(false);
            return new PipelineRun(revision, build, rows.Count, model, gates, null, declined) { FeatureSeconds = featureSeconds, TrainingSeconds = trainingSeconds };
        }

        var holdout = rows.Where(r => r.Label is not null && ModelTrainer.IsHoldout(r.PatientId, training)).ToList();
        var scorer = await _registry.LoadAsync(current, cancellationToken).ConfigureAwait(false);
        var championOnHoldout = Evaluation.Evaluation.Of(spec.Features, holdout, scorer.Score(holdout));
        var comparison = Gates.Compare(spec.Gates, trained.Holdout, championOnHoldout);
        var decision = comparison.Passed
            ? await _registry.PromoteAsync(spec.Name, model.Version, ModelRegistry.Champion, [.. why, $"beats the champion {current} on this version's holdout ({holdout.Count} rows)", .. comparison.Passes], user, cancellationToken).ConfigureAwait(false)
            : await _registry.DeclineAsync(spec.Name, model.Version, [.. why, $"does not replace the champion {current} on this version's holdout ({holdout.Count} rows)", .. comparison.Failures], user, cancellationToken).ConfigureAwait(false);
        return new PipelineRun(revision, build, rows.Count, model, gates, comparison, decision) { FeatureSeconds = featureSeconds, TrainingSeconds = trainingSeconds };
    }
}
