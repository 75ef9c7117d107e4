using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Errors;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Ml;
using Fhirhouse.Ml.Evaluation;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Scoring;
using Fhirhouse.Query;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse ml</c>: models trained on the lakehouse (docs/ml.md). <c>run</c> and <c>train</c> take a pipeline spec
/// (a JSON file, the name of a pipeline stored in the lake, or a shipped one: <c>t2d_onset_1y</c>,
/// <c>readmission_30d</c>); the other commands name a model (its pipeline's name) and a version or alias. Every command
/// goes through <see cref="MlAccess"/> and the audit log.
/// </summary>
internal static partial class MlCommand
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create(CliContext context)
    {
        var command = new Command("ml", "Models trained on the lakehouse: pipelines with gates, a registry with lineage, scoring into ml.predictions and FHIR RiskAssessments.");
        command.Subcommands.Add(Run(context, "run", promote: true,
            "Run a pipeline: build its features, train, check its gates, register, and promote when it passes them and beats the champion on its holdout."));
        command.Subcommands.Add(Run(context, "train", promote: false,
            "Train and register a model from a pipeline (features built, gates checked and recorded), without promoting it."));
        command.Subcommands.Add(Evaluate(context));
        command.Subcommands.Add(Promote(context));
        command.Subcommands.Add(Rollback(context));
        command.Subcommands.Add(Score(context));
        command.Subcommands.Add(Models(context));
        command.Subcommands.Add(Card(context));
        command.Subcommands.Add(Monitor(context));
        command.Subcommands.Add(Report(context));
        return command;
    }

    /// <summary>The options every ml command shares, and the work inside the guard and the audit log.</summary>
    private sealed class Shared
    {
        public LakeOptionSet Lake { get; } = new();

        public GovernanceOptionSet Governance { get; } = new();

        public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON." };

        public void AddTo(Command command)
        {
            Lake.AddTo(command);
            Governance.AddTo(command);
            command.Options.Add(Json);
        }

        /// <summary>
        /// Opens the lake as the identity, checks <paramref name="decision"/>, runs <paramref name="work"/> with a governed
        /// engine and audits its outcome (the rows it reports, or the failure's type).
        /// </summary>
        public async Task<int> ExecuteAsync(
            ParseResult parse, CliContext context, string decision, string query, IReadOnlyList<string> tables,
            Func<MlWork, CancellationToken, Task<long>> work, CancellationToken cancellationToken)
        {
            using var session = await Governance.OpenSessionAsync(parse, Lake, context, cancellationToken).ConfigureAwait(false);
            await MlAccess.AuthorizeAsync(session.Identity, session.Policies, session.Audit, decision, query, tables, cancellationToken).ConfigureAwait(false);
            using var engine = await GovernanceOptionSet.EngineAsync(session.Store, parse.GetValue(Lake.Keyring)!, session.Policies, session.Identity, EntryPoints.CliMl, context, cancellationToken).ConfigureAwait(false);
            long rows;
            try
            {
                rows = await work(new MlWork(session, engine, parse.GetValue(Json)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                await MlAccess.AppendAsync(session.Audit, session.Identity, query, tables, 0, AuditOutcomes.Error, failure.GetType().Name, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await MlAccess.AppendAsync(session.Audit, session.Identity, query, tables, rows, AuditOutcomes.Ok, null, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
    }

    /// <summary>What a command's work gets: the session, the governed engine and whether to print JSON.</summary>
    private sealed record MlWork(GovernedSession Session, QueryEngine Engine, bool Json);

    private static Command Run(CliContext context, string name, bool promote, string description)
    {
        var shared = new Shared();
        var pipeline = new Argument<string>("pipeline") { Description = "A pipeline spec: a JSON file, a pipeline stored in the lake, or a shipped one (" + string.Join(", ", ShippedPipelines.Names) + ")." };
        var from = new Option<string?>("--from") { Description = "Train on index times from this date (default: the spec's training.from); retraining on recent data moves it." };
        var to = new Option<string?>("--to") { Description = "Train on index times before this date (default: the spec's training.to)." };
        var known = new Option<string?>("--labels-known-until") { Description = "Outcomes due after this time are unknown (default: the latest time in the sources)." };
        var reason = new Option<string?>("--reason") { Description = "Why the run was started (recorded with its decisions)." };
        var command = new Command(name, description);
        command.Arguments.Add(pipeline);
        foreach (var option in new Option[] { from, to, known, reason })
        {
            command.Options.Add(option);
        }

        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml {name} {parse.GetValue(pipeline)}", [.. MlTables.All.Select(t => t.Name)], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var spec = await ResolveSpecAsync(parse.GetValue(pipeline)!, registry, ct).ConfigureAwait(false);
            var runner = new PipelineRunner(work.Session.Store.Objects, work.Engine, context.Time);
            var options = new PipelineRunOptions
            {
                From = Date(parse.GetValue(from), "--from"),
                To = Date(parse.GetValue(to), "--to"),
                LabelsKnownUntil = Date(parse.GetValue(known), "--labels-known-until"),
                Promote = promote,
                Reason = parse.GetValue(reason),
            };
            var started = context.Time.GetTimestamp();
            var run = await context.WithProgressAsync($"ml {name} {spec.Name}", async update =>
            {
                update(0, $"Building {spec.Features.TableName} and training {spec.Name}");
                return await runner.RunAsync(spec, work.Session.Identity.User, options, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            WriteRun(context, run, work.Json);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ml {name}: {run.Model} from {run.Rows} rows of {run.Features.Table} v{run.Features.Version} in {context.Time.GetElapsedTime(started).TotalSeconds:F1} s"));
            return run.Rows;
        }, cancellationToken));
        return command;
    }

    private static Command Evaluate(CliContext context)
    {
        var shared = new Shared();
        var (model, version, alias) = ModelOptions();
        var from = new Option<string?>("--from") { Description = "Evaluate on index times from this date (default: the model's training.to, so on rows it never saw)." };
        var to = new Option<string?>("--to") { Description = "Evaluate on index times before this date (default: every later row with a known outcome)." };
        var command = new Command("evaluate", "Evaluate a model version on the current feature table's labelled rows of a period: AUROC, average precision, Brier, calibration, per subgroup, and its gates.");
        command.Arguments.Add(model);
        command.Options.Add(version);
        command.Options.Add(alias);
        command.Options.Add(from);
        command.Options.Add(to);
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml evaluate {parse.GetValue(model)}", [MlTables.Models.Name], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var chosen = await registry.GetAsync(parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(alias)!, ct).ConfigureAwait(false);
            var (spec, _) = (await registry.GetPipelineAsync(chosen.Model, chosen.PipelineRevision, ct).ConfigureAwait(false))!.Value;
            var build = await new FeatureBuilder(work.Session.Store.Objects, work.Engine).BuildAsync(spec.Features, cancellationToken: ct).ConfigureAwait(false);
            var (rows, read) = await FeatureRows.ReadAsync(work.Engine, spec.Features, build.Version, Date(parse.GetValue(from), "--from") ?? chosen.Training.To, Date(parse.GetValue(to), "--to"), ct).ConfigureAwait(false);
            var labelled = rows.Where(r => r.Label is not null).ToList();
            if (labelled.Count == 0)
            {
                throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage, $"{spec.Features.TableName} v{read} has no row with a known outcome in that period: choose --from/--to where outcomes are known.");
            }

            var scorer = await registry.LoadAsync(chosen, ct).ConfigureAwait(false);
            var evaluation = Evaluation.Of(spec.Features, labelled, scorer.Score(labelled));
            var gates = Gates.Check(spec.Gates, evaluation);
            if (work.Json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { model = chosen.Model, version = chosen.Version, featureTable = spec.Features.TableName, featureTableVersion = read, rows = labelled.Count, evaluation, gates }, s_json));
            }
            else
            {
                context.Out.WriteLine($"{chosen} on {labelled.Count:N0} labelled rows of {spec.Features.TableName} v{read}");
                WriteEvaluation(context.Out, evaluation);
                WriteGates(context.Out, gates);
            }

            return labelled.Count;
        }, cancellationToken));
        return command;
    }

    private static Command Promote(CliContext context)
    {
        var shared = new Shared();
        var model = new Argument<string>("model") { Description = "The model (its pipeline's name)." };
        var version = new Option<long>("--version") { Description = "The version to promote.", Required = true };
        var alias = new Option<string>("--alias") { Description = "champion or challenger.", DefaultValueFactory = _ => ModelRegistry.Champion };
        alias.AcceptOnlyFromAmong(ModelRegistry.Champion, ModelRegistry.Challenger);
        var reason = new Option<string>("--reason") { Description = "Why (recorded with the decision).", Required = true };
        var command = new Command("promote", "Point an alias (champion by default) at a model version, recording why; a version that failed its gates is refused.");
        command.Arguments.Add(model);
        command.Options.Add(version);
        command.Options.Add(alias);
        command.Options.Add(reason);
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml promote {parse.GetValue(model)} v{parse.GetValue(version)}", [MlTables.Decisions.Name], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var decision = await registry.PromoteAsync(parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(alias)!, [parse.GetValue(reason)!], work.Session.Identity.User, ct).ConfigureAwait(false);
            WriteDecision(context, decision, work.Json);
            return 1;
        }, cancellationToken));
        return command;
    }

    private static Command Rollback(CliContext context)
    {
        var shared = new Shared();
        var model = new Argument<string>("model") { Description = "The model (its pipeline's name)." };
        var reason = new Option<string>("--reason") { Description = "Why (recorded with the decision).", Required = true };
        var command = new Command("rollback", "Point the champion back at the version it held before its latest promotion, recording why.");
        command.Arguments.Add(model);
        command.Options.Add(reason);
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml rollback {parse.GetValue(model)}", [MlTables.Decisions.Name], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var decision = await registry.RollbackAsync(parse.GetValue(model)!, [parse.GetValue(reason)!], work.Session.Identity.User, ct).ConfigureAwait(false);
            WriteDecision(context, decision, work.Json);
            return 1;
        }, cancellationToken));
        return command;
    }

    private static Command Score(CliContext context)
    {
        var shared = new Shared();
        var (model, version, alias) = ModelOptions();
        var from = new Option<string?>("--from") { Description = "Score index rows from this date (default: all)." };
        var to = new Option<string?>("--to") { Description = "Score index rows before this date (default: all)." };
        var noFhir = new Option<bool>("--no-fhir") { Description = "Write ml.predictions only; land no RiskAssessment in bronze." };
        var noRebuild = new Option<bool>("--no-rebuild") { Description = "Score the feature table as it is, without rebuilding it from the lake first." };
        var batchRows = new Option<int>("--batch-rows") { Description = "Predictions per FHIR payload landed through the raw zone (each lands once, even across a crash).", DefaultValueFactory = _ => 5000 };
        var command = new Command("score", "Score a model version (champion by default) over a period into ml.predictions and FHIR RiskAssessments (with the model as Device and a Provenance) landed in bronze.");
        command.Arguments.Add(model);
        foreach (var option in new Option[] { version, alias, from, to, noFhir, noRebuild, batchRows })
        {
            command.Options.Add(option);
        }

        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml score {parse.GetValue(model)}", [MlTables.Predictions.Name, Lake.Bronze.BronzeTable.Definition.Name], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var chosen = await registry.GetAsync(parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(alias)!, ct).ConfigureAwait(false);
            var (spec, _) = (await registry.GetPipelineAsync(chosen.Model, chosen.PipelineRevision, ct).ConfigureAwait(false))!.Value;
            var started = context.Time.GetTimestamp();
            if (parse.GetValue(batchRows) < 1)
            {
                throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage, $"--batch-rows: must be at least 1 (got {parse.GetValue(batchRows)}).");
            }

            var run = await new BatchScorer(work.Session.Store.Objects, work.Engine, context.Time) { BatchRows = parse.GetValue(batchRows) }.ScoreAsync(
                spec, chosen, Date(parse.GetValue(from), "--from"), Date(parse.GetValue(to), "--to"), !parse.GetValue(noRebuild), !parse.GetValue(noFhir), ct).ConfigureAwait(false);
            var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
            if (work.Json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = run.Model.Model, version = run.Model.Version, featureTable = run.FeatureTable, featureTableVersion = run.FeatureTableVersion,
                    rows = run.Rows, patients = run.Patients, predictionsVersion = run.PredictionsVersion, resourcesLanded = run.ResourcesLanded, meanProbability = run.MeanProbability,
                }, s_json));
            }
            else
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Model} scored {run.Rows:N0} rows ({run.Patients:N0} patients) of {run.FeatureTable} v{run.FeatureTableVersion}: mean probability {run.MeanProbability:0.000}"));
                context.Out.WriteLine($"ml.predictions v{run.PredictionsVersion}; FHIR landed in bronze (source {BatchScorer.Source}): {run.ResourcesLanded:N0} resources");
            }

            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ml score: {run.Rows} rows in {seconds:F1} s ({run.Rows / Math.Max(seconds, 1e-3):F0} rows/s)"));
            return run.Rows;
        }, cancellationToken));
        return command;
    }

    private static Command Models(CliContext context)
    {
        var shared = new Shared();
        var model = new Argument<string?>("model") { Description = "One model (default: every model).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("models", "List the registered model versions with their metrics, gates and aliases, and the decisions with their reasons.");
        command.Arguments.Add(model);
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlTables.Models.Name, "ml models " + parse.GetValue(model), [MlTables.Models.Name, MlTables.Decisions.Name], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var versions = await registry.ListAsync(parse.GetValue(model), ct).ConfigureAwait(false);
            var decisions = await registry.DecisionsAsync(parse.GetValue(model), ct).ConfigureAwait(false);
            var aliases = new Dictionary<string, IReadOnlyDictionary<string, long?>>(StringComparer.Ordinal);
            foreach (var name in versions.Select(v => v.Model).Distinct(StringComparer.Ordinal))
            {
                aliases[name] = await registry.AliasesAsync(name, ct).ConfigureAwait(false);
            }

            if (work.Json)
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    models = versions.Select(v => new
                    {
                        model = v.Model, version = v.Version, createdAt = v.CreatedAt, auroc = v.Holdout.Overall.Auroc, brier = v.Holdout.Overall.Brier, gatesPassed = v.Gates.Passed,
                        aliases = aliases[v.Model].Where(a => a.Value == v.Version).Select(a => a.Key), featureTable = v.FeatureTable, featureTableVersion = v.FeatureTableVersion,
                    }),
                    decisions,
                }, s_json));
                return versions.Count;
            }

            foreach (var v in versions)
            {
                var held = string.Join(", ", aliases[v.Model].Where(a => a.Value == v.Version).Select(a => a.Key));
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{v}{(held.Length > 0 ? " [" + held + "]" : "")}  {v.CreatedAt:yyyy-MM-dd HH:mm}  AUROC {v.Holdout.Overall.Auroc:0.000}  Brier {v.Holdout.Overall.Brier:0.000}  gates {(v.Gates.Passed ? "passed" : "failed")}  trained {v.Training.From:yyyy-MM-dd}..{v.Training.To:yyyy-MM-dd} on {v.FeatureTable} v{v.FeatureTableVersion}"));
            }

            foreach (var d in decisions)
            {
                context.Out.WriteLine($"{d.Time:yyyy-MM-dd HH:mm:ss}  {d.Model} v{d.Version}  {d.Action}{(d.Alias is { } a ? " " + a : "")}{(d.PreviousVersion is { } p ? $" (was v{p})" : "")} by {d.DecidedBy}: {string.Join("; ", d.Reasons)}");
            }

            return versions.Count;
        }, cancellationToken));
        return command;
    }

    private static Command Card(CliContext context)
    {
        var shared = new Shared();
        var (model, version, alias) = ModelOptions();
        var command = new Command("card", "Print a model version's card (Markdown): intended use, lineage, training data, metrics overall and per subgroup, gates, decisions.");
        command.Arguments.Add(model);
        command.Options.Add(version);
        command.Options.Add(alias);
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlTables.Models.Name, $"ml card {parse.GetValue(model)}", [MlTables.Models.Name, MlTables.Decisions.Name], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var chosen = await registry.GetAsync(parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(alias)!, ct).ConfigureAwait(false);
            var (spec, _) = (await registry.GetPipelineAsync(chosen.Model, chosen.PipelineRevision, ct).ConfigureAwait(false))!.Value;
            var decisions = (await registry.DecisionsAsync(chosen.Model, ct).ConfigureAwait(false)).Where(d => d.Version == chosen.Version).ToList();
            context.Out.Write(ModelCard.Markdown(chosen, spec, decisions));
            return 1;
        }, cancellationToken));
        return command;
    }

    private static (Argument<string> Model, Option<long?> Version, Option<string> Alias) ModelOptions()
    {
        var model = new Argument<string>("model") { Description = "The model (its pipeline's name)." };
        var version = new Option<long?>("--version") { Description = "The version (default: the one --alias points at)." };
        var alias = new Option<string>("--alias") { Description = "champion or challenger, when no --version is given.", DefaultValueFactory = _ => ModelRegistry.Champion };
        alias.AcceptOnlyFromAmong(ModelRegistry.Champion, ModelRegistry.Challenger);
        return (model, version, alias);
    }

    /// <summary>A spec from a file, the lake's latest revision of a pipeline of that name, or a shipped spec of that name.</summary>
    public static async Task<PipelineSpec> ResolveSpecAsync(string pipeline, ModelRegistry registry, CancellationToken cancellationToken)
    {
        if (File.Exists(pipeline))
        {
            return PipelineSpec.Parse(await File.ReadAllTextAsync(pipeline, cancellationToken).ConfigureAwait(false));
        }

        if (pipeline.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || pipeline.Contains('/', StringComparison.Ordinal))
        {
            throw FhirhouseException.PathNotFound(Path.GetFullPath(pipeline), "pipeline spec");
        }

        if (await registry.GetPipelineAsync(pipeline, cancellationToken: cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored.Spec;
        }

        return ShippedPipelines.Get(pipeline) ?? throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage,
            $"No pipeline '{pipeline}': give a spec file, a pipeline stored in the lake, or a shipped one ({string.Join(", ", ShippedPipelines.Names)}).");
    }

    private static DateTimeOffset? Date(string? value, string option) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time
        : throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage, $"{option}: '{value}' is not a date (give 2024-01-01 or 2024-01-01T00:00:00Z).");

    private static void WriteRun(CliContext context, PipelineRun run, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = run.Model.Model, version = run.Model.Version, revision = run.Revision, featureTable = run.Features.Table, featureTableVersion = run.Features.Version,
                rows = run.Rows, sources = run.Features.Sources, holdout = run.Model.Holdout, gates = run.Gates, comparison = run.Comparison, decision = run.Decision,
                featureSeconds = run.FeatureSeconds, trainingSeconds = run.TrainingSeconds,
            }, s_json));
            return;
        }

        var f = run.Features;
        context.Out.WriteLine($"Pipeline {run.Model.Model} revision {run.Revision}; {f.Table} v{f.Version}: {f.Rows:N0} rows, {f.Patients:N0} patients ({f.Positives:N0} positive, {f.Negatives:N0} negative, {f.Unlabelled:N0} not yet known)");
        context.Out.WriteLine($"Sources: {string.Join(", ", f.Sources.Select(s => $"{s.Table} v{s.Version}"))}");
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.Model}: trained on {run.Model.TrainingRows:N0} rows ({run.Model.TrainingPatients:N0} patients) from {run.Model.Training.From:yyyy-MM-dd} to {run.Model.Training.To:yyyy-MM-dd}, {run.Model.Training.Trainer}, seed {run.Model.Training.Seed}; holdout {run.Model.HoldoutRows:N0} rows"));
        WriteEvaluation(context.Out, run.Model.Holdout);
        WriteGates(context.Out, run.Gates);
        if (run.Comparison is { } comparison)
        {
            context.Out.WriteLine("Against the champion:");
            WriteGates(context.Out, comparison);
        }

        context.Out.WriteLine(run.Decision is { } d
            ? $"Decision: {d.Action}{(d.Alias is { } a ? " " + a : "")}{(d.PreviousVersion is { } p ? $" (was v{p})" : "")}: {string.Join("; ", d.Reasons.Take(2))}"
            : run.Gates.Passed ? "Decision: registered (not promoted: ml promote makes it champion)" : "Decision: rejected by its gates; it can never become champion");
    }

    private static void WriteEvaluation(TextWriter output, Evaluation evaluation)
    {
        void Line(string name, Performance p) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-22} rows {p.Rows,7:N0}  positive {p.Positives,6:N0}  AUROC {p.Auroc:0.000}  AP {p.AveragePrecision:0.000}  Brier {p.Brier:0.000}  calibration error {p.CalibrationError:0.000}"));
        Line("overall", evaluation.Overall);
        foreach (var (name, group) in evaluation.Subgroups)
        {
            Line(name, group);
        }
    }

    private static void WriteGates(TextWriter output, GateResult gates)
    {
        foreach (var failure in gates.Failures)
        {
            output.WriteLine("  FAIL " + failure);
        }

        foreach (var pass in gates.Passes)
        {
            output.WriteLine("  pass " + pass);
        }
    }

    private static void WriteDecision(CliContext context, ModelDecision decision, bool json) =>
        context.Out.WriteLine(json
            ? JsonSerializer.Serialize(decision, s_json)
            : $"{decision.Model} v{decision.Version}: {decision.Action}{(decision.Alias is { } a ? " " + a : "")}{(decision.PreviousVersion is { } p ? $" (was v{p})" : "")}: {string.Join("; ", decision.Reasons)}");
}
