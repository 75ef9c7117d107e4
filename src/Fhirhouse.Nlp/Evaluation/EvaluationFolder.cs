using System.Text;
using System.Text.Json;
using Fhirhouse.Nlp.Annotations;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Evaluation;

/// <summary>The outcome of scoring a folder: the scores by group, the differences kept, and the truth's texts that could not be scored.</summary>
/// <param name="NotFound">Resources of the ground truth that no NDJSON file of the folder holds.</param>
/// <param name="Unreadable">Resources found whose first text could not be read (with the reason).</param>
public sealed record EvaluationRun(
    IReadOnlyDictionary<string, EvaluationScores> Scores, IReadOnlyList<EvaluationDiscrepancy> Discrepancies,
    IReadOnlyList<string> NotFound, IReadOnlyList<string> Unreadable, int Files, double Seconds);

/// <summary>
/// Scores the engine on a folder of FHIR NDJSON files and its ground truth (a generated hospital:
/// <c>notes-ground-truth.ndjson</c>): each resource the truth names is read from the files, its first text (the one the
/// truth's offsets are into: <c>content[0].attachment</c>, <c>presentedForm[0]</c>, <c>payload[0]</c>...) annotated in
/// the truth's language, and scored (<see cref="NlpEvaluator"/>).
/// </summary>
public static class EvaluationFolder
{
    /// <summary>Scores <paramref name="folder"/> against <paramref name="truthPath"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A truth line or a resource line is not what it should be (named by file and line).</exception>
    public static EvaluationRun Evaluate(string folder, string truthPath, Annotator annotator, int keepDiscrepancies = 1000, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(annotator);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        List<TruthDocument> truth;
        using (var reader = new StreamReader(truthPath, Encoding.UTF8))
        {
            truth = [.. GroundTruth.Read(reader, Path.GetFileName(truthPath))];
        }

        var wanted = new Dictionary<string, TruthDocument>(StringComparer.Ordinal);
        foreach (var document in truth)
        {
            if (!wanted.TryAdd(document.Resource, document))
            {
                throw new InvalidDataException($"Ground truth {Path.GetFileName(truthPath)}: {document.Resource} is annotated twice.");
            }
        }

        var evaluator = new NlpEvaluator(truth, keepDiscrepancies);
        var unreadable = new List<string>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var truthFull = Path.GetFullPath(truthPath);
        var files = Directory.EnumerateFiles(folder, "*.ndjson").Where(f => !string.Equals(Path.GetFullPath(f), truthFull, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var markers = SourceTexts.ResourceTypes.Select(t => $"\"{t}\"").ToArray();
        foreach (var file in files)
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                cancellationToken.ThrowIfCancellationRequested();
                number++;
                if (!markers.Any(m => line.Contains(m, StringComparison.Ordinal)))
                {
                    continue;
                }

                JsonDocument json;
                try
                {
                    json = JsonDocument.Parse(line);
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{Path.GetFileName(file)}, line {number}: not JSON ({e.Message}).", e);
                }

                using (json)
                {
                    var root = json.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out var type) || !root.TryGetProperty("id", out var id)
                        || type.ValueKind != JsonValueKind.String || id.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    var key = type.GetString() + "/" + id.GetString();
                    if (!wanted.TryGetValue(key, out var expected) || !found.Add(key))
                    {
                        continue;
                    }

                    var reading = SourceTexts.Read(root);
                    var first = reading?.Document.Texts.FirstOrDefault();
                    if (first is null)
                    {
                        unreadable.Add($"{key}: {(reading?.Unread.FirstOrDefault() ?? "no text")}");
                        continue;
                    }

                    var language = NlpAnnotationJob.LanguageOf(expected.Language ?? first.Language);
                    evaluator.Add(expected, annotator.Read(first.Text, language, reading!.Document.WrittenYear));
                    progress?.Report((found.Count, wanted.Count));
                }
            }
        }

        var notFound = wanted.Keys.Where(k => !found.Contains(k)).Order(StringComparer.Ordinal).ToList();
        return new EvaluationRun(evaluator.Scores(), evaluator.Discrepancies, notFound, unreadable, files.Count,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
