using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fhirhouse.Delta;
using Fhirhouse.Errors;
using Fhirhouse.Lake;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Training;
using Fhirhouse.Storage;

namespace Fhirhouse.Ml.Registry;

/// <summary>
/// The model registry in the lake: pipeline revisions (<c>ml.pipelines</c>), model versions with their lineage
/// (<c>ml.models</c>), artifacts encrypted like every object of the lake (<c>jobs/ml/models/NAME/VERSION.zip</c>,
/// checked against their SHA-256 when loaded), and the decisions with their reasons (<c>ml.model_decisions</c>), from
/// which the aliases (<c>champion</c>, <c>challenger</c>) are read. Only a version that passed its gates can hold an alias.
/// </summary>
public sealed class ModelRegistry(IObjectStore lake, TimeProvider time, DeltaTableOptions? tableOptions = null)
{
    /// <summary>The alias of the model in use.</summary>
    public const string Champion = "champion";

    /// <summary>The alias of the model that passed its gates and waits to be compared with the champion.</summary>
    public const string Challenger = "challenger";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly DeltaTableOptions _options = tableOptions ?? new DeltaTableOptions();

    /// <summary>The code version recorded with every model: the Fhirhouse.Ml assembly's informational version.</summary>
    public static string CodeVersion { get; } =
        typeof(ModelRegistry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Records <paramref name="spec"/> as a revision of its pipeline (the same spec again keeps its revision) and returns the revision.</summary>
    public async Task<long> SavePipelineAsync(PipelineSpec spec, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var table = await MlTables.Pipelines.OpenOrCreateAsync(lake, _options, cancellationToken).ConfigureAwait(false);
        var rows = await RowsAsync(table, cancellationToken).ConfigureAwait(false);
        var mine = rows.Where(r => (string)r[0]! == spec.Name).ToList();
        if (mine.Find(r => (string)r[2]! == spec.Hash) is { } same)
        {
            return (long)same[1]!;
        }

        var revision = mine.Count == 0 ? 1 : mine.Max(r => (long)r[1]!) + 1;
        await table.AppendAsync([[spec.Name, revision, spec.Hash, spec.Features.Hash, spec.Json, time.GetUtcNow(), user]], cancellationToken: cancellationToken).ConfigureAwait(false);
        return revision;
    }

    /// <summary>The spec of a pipeline revision (null: the latest), or null when there is none.</summary>
    public async Task<(PipelineSpec Spec, long Revision)?> GetPipelineAsync(string pipeline, long? revision = null, CancellationToken cancellationToken = default)
    {
        if (await MlTables.Pipelines.OpenIfExistsAsync(lake, _options, cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return null;
        }

        var row = (await RowsAsync(table, cancellationToken).ConfigureAwait(false))
            .Where(r => (string)r[0]! == pipeline && (revision is null || (long)r[1]! == revision))
            .MaxBy(r => (long)r[1]!);
        return row is null ? null : (PipelineSpec.Parse((string)row[4]!), (long)row[1]!);
    }

    /// <summary>
    /// Registers a trained model: its artifact written once under a new version, its row in <c>ml.models</c>, and the
    /// decision (<c>registered</c> or <c>rejected</c>) with the gates' reasons.
    /// </summary>
    public async Task<ModelVersion> RegisterAsync(
        PipelineSpec spec, long pipelineRevision, FeatureBuild features, TrainedModel model, GateResult gates, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gates);
        var table = await MlTables.Models.OpenOrCreateAsync(lake, _options, cancellationToken).ConfigureAwait(false);
        var version = (await ListAsync(spec.Name, cancellationToken).ConfigureAwait(false)).Select(m => m.Version).DefaultIfEmpty(0).Max() + 1;
        string artifact;
        while (true)
        {
            artifact = $"{LakeLayout.MlModels}{spec.Name}/{version:D6}.zip";
            if (await lake.PutIfAbsentAsync(artifact, model.Bytes, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            version++;
        }

        var registered = new ModelVersion(
            spec.Name, version, time.GetUtcNow(), user, pipelineRevision, spec.Hash, spec.Features.Hash, features.Table, features.Version, features.Sources,
            CodeVersion, spec.Training, model.TrainingRows, model.TrainingPatients, model.HoldoutRows, model.Holdout, gates, model.Encoding, artifact, model.Sha256);
        await table.AppendAsync([ToRow(registered)], cancellationToken: cancellationToken).ConfigureAwait(false);
        await DecideAsync(new ModelDecision(registered.CreatedAt, spec.Name, version, gates.Passed ? ModelActions.Registered : ModelActions.Rejected, null, null, gates.Reasons, user), cancellationToken).ConfigureAwait(false);
        return registered;
    }

    /// <summary>Every version of <paramref name="model"/> (null: of every model), oldest first.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        if (await MlTables.Models.OpenIfExistsAsync(lake, _options, cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return [];
        }

        return [.. (await RowsAsync(table, cancellationToken).ConfigureAwait(false)).Where(r => model is null || (string)r[0]! == model).Select(FromRow)
            .OrderBy(m => m.Model, StringComparer.Ordinal).ThenBy(m => m.Version)];
    }

    /// <summary>A model version; with <paramref name="version"/> null, the one <paramref name="alias"/> points at (default champion).</summary>
    /// <exception cref="FhirhouseException">No such model, version or alias (<c>ml.model_not_found</c>).</exception>
    public async Task<ModelVersion> GetAsync(string model, long? version = null, string alias = Champion, CancellationToken cancellationToken = default)
    {
        var versions = await ListAsync(model, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            throw new FhirhouseException(ErrorCodes.ModelNotFound, ErrorKind.Usage, $"No model '{model}' is registered.");
        }

        var wanted = version ?? (await AliasesAsync(model, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(alias)
            ?? throw new FhirhouseException(ErrorCodes.ModelNotFound, ErrorKind.Usage, $"Model '{model}' has no {alias} (versions 1 to {versions[^1].Version}); promote one.");
        return versions.FirstOrDefault(v => v.Version == wanted)
            ?? throw new FhirhouseException(ErrorCodes.ModelNotFound, ErrorKind.Usage, $"Model '{model}' has no version {wanted} (versions 1 to {versions[^1].Version}).");
    }

    /// <summary>The decisions about <paramref name="model"/> (null: every model), in the order made.</summary>
    public async Task<IReadOnlyList<ModelDecision>> DecisionsAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        if (await MlTables.Decisions.OpenIfExistsAsync(lake, _options, cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return [];
        }

        return [.. (await RowsAsync(table, cancellationToken).ConfigureAwait(false))
            .Where(r => model is null || (string)r[1]! == model)
            .Select(r => new ModelDecision((DateTimeOffset)r[0]!, (string)r[1]!, (long)r[2]!, (string)r[3]!, r[4] as string, r[5] as long?, JsonSerializer.Deserialize<List<string>>((string)r[6]!, Json)!, (string)r[7]!))
            .OrderBy(d => d.Time)];
    }

    /// <summary>Where each alias of <paramref name="model"/> points now (an alias is removed when it is given to no version).</summary>
    public async Task<IReadOnlyDictionary<string, long?>> AliasesAsync(string model, CancellationToken cancellationToken = default)
    {
        var aliases = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var decision in await DecisionsAsync(model, cancellationToken).ConfigureAwait(false))
        {
            if (decision.Alias is { } alias && decision.Action is ModelActions.Promoted or ModelActions.RolledBack)
            {
                aliases[alias] = decision.Version;
                if (alias == Champion && aliases.GetValueOrDefault(Challenger) == decision.Version)
                {
                    aliases[Challenger] = null;
                }
            }
            else if (decision.Action == ModelActions.Declined && aliases.GetValueOrDefault(Challenger) == decision.Version)
            {
                aliases[Challenger] = null;
            }
        }

        return aliases;
    }

    /// <summary>
    /// Points <paramref name="alias"/> at a version, recording why. A version that failed its gates is refused
    /// (<c>ml.model_refused</c>), with the gates' reasons in the message.
    /// </summary>
    public async Task<ModelDecision> PromoteAsync(string model, long version, string alias, IReadOnlyList<string> reasons, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var target = await GetAsync(model, version, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!target.Gates.Passed)
        {
            throw new FhirhouseException(ErrorCodes.ModelRefused, ErrorKind.Usage,
                $"{target} failed its gates and cannot become {alias}: {string.Join("; ", target.Gates.Failures)}.");
        }

        var previous = (await AliasesAsync(model, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(alias);
        var decision = new ModelDecision(time.GetUtcNow(), model, version, ModelActions.Promoted, alias, previous, reasons, user);
        await DecideAsync(decision, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>Records that a challenger stays out, with the reasons (it did not beat the champion).</summary>
    public async Task<ModelDecision> DeclineAsync(string model, long version, IReadOnlyList<string> reasons, string user, CancellationToken cancellationToken = default)
    {
        var decision = new ModelDecision(time.GetUtcNow(), model, version, ModelActions.Declined, Challenger, null, reasons, user);
        await DecideAsync(decision, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>
    /// Points the champion back at the version it held before its latest promotion, recording why; refused when there
    /// is no earlier champion.
    /// </summary>
    public async Task<ModelDecision> RollbackAsync(string model, IReadOnlyList<string> reasons, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var decisions = await DecisionsAsync(model, cancellationToken).ConfigureAwait(false);
        var champion = (await AliasesAsync(model, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(Champion)
            ?? throw new FhirhouseException(ErrorCodes.ModelNotFound, ErrorKind.Usage, $"Model '{model}' has no champion to roll back.");
        var last = decisions.Last(d => d.Alias == Champion && d.Action is ModelActions.Promoted or ModelActions.RolledBack && d.Version == champion);
        var earlier = last.Action == ModelActions.RolledBack
            ? decisions.Where(d => d.Alias == Champion && d.Action == ModelActions.Promoted && d.Version == champion && d.Time <= last.Time).Select(d => d.PreviousVersion).LastOrDefault()
            : last.PreviousVersion;
        if (earlier is not { } back)
        {
            throw new FhirhouseException(ErrorCodes.ModelNotFound, ErrorKind.Usage, $"{model} v{champion} is the first champion: there is nothing to roll back to.");
        }

        var decision = new ModelDecision(time.GetUtcNow(), model, back, ModelActions.RolledBack, Champion, champion, reasons, user);
        await DecideAsync(decision, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>Records a decision made elsewhere (an erasure marking a model).</summary>
    public async Task DecideAsync(ModelDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var table = await MlTables.Decisions.OpenOrCreateAsync(lake, _options, cancellationToken).ConfigureAwait(false);
        await table.AppendAsync([[decision.Time, decision.Model, decision.Version, decision.Action, decision.Alias, decision.PreviousVersion, JsonSerializer.Serialize(decision.Reasons, Json), decision.DecidedBy]], cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads a version's model for scoring; throws when its artifact's SHA-256 is not the one registered.</summary>
    public async Task<ModelScorer> LoadAsync(ModelVersion model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bytes = await lake.ReadAllBytesAsync(model.Artifact, cancellationToken).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        if (!string.Equals(sha, model.ArtifactSha256, StringComparison.Ordinal))
        {
            throw new FhirhouseException(ErrorCodes.TamperedObject, ErrorKind.Data, $"{model}: the artifact {model.Artifact} is not the one registered (SHA-256 {sha[..12]}..., registered {model.ArtifactSha256[..12]}...).");
        }

        return new ModelScorer(bytes, model.Encoding);
    }

    private static object?[] ToRow(ModelVersion m) =>
    [
        m.Model, m.Version, m.CreatedAt, m.CreatedBy, m.PipelineRevision, m.SpecHash, m.FeatureSpecHash, m.FeatureTable, m.FeatureTableVersion,
        JsonSerializer.Serialize(m.Sources, Json), m.CodeVersion, m.Training.Trainer, JsonSerializer.Serialize(m.Training, Json), m.Training.From, m.Training.To,
        (long)m.TrainingRows, (long)m.TrainingPatients, (long)m.HoldoutRows, Finite(m.Holdout.Overall.Auroc), Finite(m.Holdout.Overall.AveragePrecision), Finite(m.Holdout.Overall.Brier),
        JsonSerializer.Serialize(m.Holdout, Json), m.Gates.Passed, JsonSerializer.Serialize(m.Gates, Json), JsonSerializer.Serialize(m.Encoding, Json), m.Artifact, m.ArtifactSha256,
    ];

    private static ModelVersion FromRow(object?[] r) => new(
        (string)r[0]!, (long)r[1]!, (DateTimeOffset)r[2]!, (string)r[3]!, (long)r[4]!, (string)r[5]!, (string)r[6]!, (string)r[7]!, (long)r[8]!,
        JsonSerializer.Deserialize<List<SourceVersion>>((string)r[9]!, Json)!, (string)r[10]!, JsonSerializer.Deserialize<TrainingSpec>((string)r[12]!, Json)!,
        (int)(long)r[15]!, (int)(long)r[16]!, (int)(long)r[17]!, JsonSerializer.Deserialize<Evaluation.Evaluation>((string)r[21]!, Json)!,
        JsonSerializer.Deserialize<GateResult>((string)r[23]!, Json)!, JsonSerializer.Deserialize<FeatureEncoding>((string)r[24]!, Json)!,
        (string)r[25]!, (string)r[26]!);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static async Task<List<object?[]>> RowsAsync(DeltaTable table, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var row in (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).ReadRowsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }
}
