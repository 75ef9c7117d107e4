using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Nlp.Evaluation;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse nlp evaluate FOLDER [--truth FILE]</c>: the engine scored on a folder of FHIR NDJSON files against its
/// ground truth (a generated hospital and its <c>notes-ground-truth.ndjson</c>): detection, concepts and assertions,
/// overall, by language and for notes against patient messages. It reads local files only, never the lake.
/// </summary>
internal static class NlpEvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var folder = new Argument<string>("folder") { Description = "A folder of FHIR NDJSON files (such as one 'fhirhouse generate' wrote)." };
        var truth = new Option<string?>("--truth") { Description = "The ground truth (default: FOLDER/notes-ground-truth.ndjson)." };
        var json = new Option<bool>("--json") { Description = "Print the scores as JSON." };
        var errors = new Option<int>("--errors") { Description = "Also print up to this many differences (resource, span, expected, found; no text).", DefaultValueFactory = _ => 0 };
        var command = new Command("evaluate", "Score the engine against a ground truth of annotated notes and messages: mentions found, concepts, negation, uncertainty, history and family, by language and channel.");
        command.Arguments.Add(folder);
        command.Options.Add(truth);
        command.Options.Add(json);
        command.Options.Add(errors);
        command.SetAction((parse, cancellationToken) =>
        {
            var root = parse.GetValue(folder)!;
            var truthPath = parse.GetValue(truth) ?? Path.Combine(root, Synthetic.HospitalGenerator.GroundTruthFileName);
            if (!File.Exists(truthPath))
            {
                throw new FileNotFoundException($"No ground truth at '{truthPath}': give one with --truth.");
            }

            var keep = Math.Max(0, parse.GetValue(errors));
            var run = context.WithProgress("Evaluating", update => EvaluationFolder.Evaluate(root, truthPath, Nlp.Annotator.Shipped(), keep,
                new SynchronousProgress<(int Done, int Total)>(p => update((double)p.Done / Math.Max(1, p.Total), $"Evaluating {p.Done:N0}/{p.Total:N0} texts")), cancellationToken));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    scores = run.Scores.ToDictionary(s => s.Key, s => Json(s.Value)),
                    notFound = run.NotFound.Count,
                    unreadable = run.Unreadable.Count,
                    files = run.Files,
                    seconds = Math.Round(run.Seconds, 2),
                    discrepancies = run.Discrepancies.Take(keep),
                }));
            }
            else
            {
                Write(context.Out, run, keep);
            }

            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nlp evaluate: {run.Scores["all"].Documents} texts scored in {run.Seconds:F1} s from {run.Files} files; {run.NotFound.Count} not found, {run.Unreadable.Count} unreadable"));
            return Task.FromResult(run.Scores["all"].Documents > 0 ? ExitCodes.Ok : ExitCodes.Failure);
        });
        return command;
    }

    private static object Json(EvaluationScores s) => new
    {
        documents = s.Documents, truthMentions = s.TruthMentions, predictions = s.Predictions, outsideVocabulary = s.OutsideVocabulary,
        detection = Json(s.Detection), concepts = Json(s.Concepts),
        assertions = s.Assertions.ToDictionary(a => a.Class, Json),
        assertionAccuracy = Round(s.AssertionAccuracy),
    };

    private static object Json(Nlp.Assertion.ClassScore s) => new
    {
        tp = s.TruePositives, fp = s.FalsePositives, fn = s.FalseNegatives, precision = Round(s.Precision), recall = Round(s.Recall), f1 = Round(s.F1),
    };

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);

    private static void Write(TextWriter output, EvaluationRun run, int keep)
    {
        output.WriteLine("group     texts  truth  found   P(det)  R(det)  F1(det)  F1(concept)  F1 neg  F1 poss  F1 hist  F1 fam  all 3 right");
        foreach (var group in NlpEvaluator.Groups.Prepend("all"))
        {
            var s = run.Scores[group];
            string F(double v) => double.IsNaN(v) ? "  -  " : v.ToString("F3", CultureInfo.InvariantCulture);
            double Of(string name) => s.Assertions.Single(a => a.Class == name).F1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group,-8} {s.Documents,6} {s.TruthMentions,6} {s.Detection.TruePositives,6}   {F(s.Detection.Precision)}   {F(s.Detection.Recall)}   {F(s.Detection.F1)}    {F(s.Concepts.F1)}        {F(Of("Negated"))}   {F(Of("Possible"))}    {F(Of("Historical"))}    {F(Of("Family"))}   {F(s.AssertionAccuracy)}"));
        }

        var all = run.Scores["all"];
        output.WriteLine($"Predictions of concepts the truth never annotates (not scored): {all.OutsideVocabulary:N0}");
        foreach (var missing in run.NotFound.Take(5))
        {
            output.WriteLine($"not found in the folder: {missing}");
        }

        foreach (var unreadable in run.Unreadable.Take(5))
        {
            output.WriteLine($"unreadable: {unreadable}");
        }

        foreach (var d in run.Discrepancies.Take(keep))
        {
            output.WriteLine($"{d.Kind}\t{d.Resource}\t{d.Start}-{d.End}\texpected {d.Expected}\tfound {d.Actual}");
        }
    }
}
