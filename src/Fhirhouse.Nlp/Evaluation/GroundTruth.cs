using System.Text.Json;

namespace Fhirhouse.Nlp.Evaluation;

/// <summary>One mention of the ground truth: its concept (key and codes), its words and span, and its assertion as annotated.</summary>
/// <param name="Certainty"><c>affirmed</c>, <c>negated</c> or <c>possible</c>.</param>
/// <param name="Temporality"><c>current</c> or <c>historical</c>.</param>
/// <param name="Experiencer"><c>patient</c> or <c>family</c>.</param>
public sealed record TruthMention(string Concept, string? Snomed, string? Icd10, string Text, int Start, int End, string Certainty, string Temporality, string Experiencer);

/// <summary>One annotated text of the ground truth: the resource that holds it (<c>DocumentReference/id</c>), its language, its mentions.</summary>
public sealed record TruthDocument(string Resource, string? Language, string? Channel, IReadOnlyList<TruthMention> Mentions);

/// <summary>
/// Reads a ground-truth file in the synthetic hospital's format (<c>notes-ground-truth.ndjson</c>): one JSON object per
/// line with <c>resource</c>, <c>language</c>, optional <c>channel</c> and <c>mentions</c> (each <c>concept</c>,
/// <c>snomed</c>, <c>icd10</c>, <c>text</c>, <c>start</c>, <c>end</c>, <c>certainty</c>, <c>temporality</c>,
/// <c>experiencer</c>); offsets in UTF-16 code units into the resource's first text. A line that does not hold that is
/// an error naming the line and the field, never skipped.
/// </summary>
public static class GroundTruth
{
    private static readonly HashSet<string> s_certainty = new(["affirmed", "negated", "possible"], StringComparer.Ordinal);
    private static readonly HashSet<string> s_temporality = new(["current", "historical"], StringComparer.Ordinal);
    private static readonly HashSet<string> s_experiencer = new(["patient", "family"], StringComparer.Ordinal);

    /// <summary>The documents of the file's lines, in order; blank lines are allowed.</summary>
    /// <exception cref="InvalidDataException">A line is not valid JSON or lacks a field, or a value is not one the format allows.</exception>
    public static IEnumerable<TruthDocument> Read(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(line, name, number);
        }
    }

    private static TruthDocument Parse(string line, string name, int number)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Ground truth {name}, line {number}: not JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(name, number, "a line is one JSON object");
            }

            var resource = Text(root, "resource", name, number);
            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == resource.Length - 1)
            {
                throw Bad(name, number, "'resource' is Type/id");
            }

            if (!root.TryGetProperty("mentions", out var mentions) || mentions.ValueKind != JsonValueKind.Array)
            {
                throw Bad(name, number, "'mentions' is an array");
            }

            var list = new List<TruthMention>(mentions.GetArrayLength());
            var index = 0;
            foreach (var mention in mentions.EnumerateArray())
            {
                var where = $"mentions[{index++}]";
                if (mention.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(name, number, $"{where} is an object");
                }

                var start = Int(mention, "start", name, number, where);
                var end = Int(mention, "end", name, number, where);
                if (start < 0 || end <= start)
                {
                    throw Bad(name, number, $"{where} has start {start} and end {end}: a span is 0 <= start < end");
                }

                list.Add(new TruthMention(
                    Text(mention, "concept", name, number, where), Optional(mention, "snomed"), Optional(mention, "icd10"), Optional(mention, "text") ?? "",
                    start, end,
                    OneOf(mention, "certainty", s_certainty, name, number, where),
                    OneOf(mention, "temporality", s_temporality, name, number, where),
                    OneOf(mention, "experiencer", s_experiencer, name, number, where)));
            }

            return new TruthDocument(resource, Optional(root, "language"), Optional(root, "channel"), list);
        }
    }

    private static string Text(JsonElement element, string property, string name, int number, string? where = null) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Bad(name, number, $"{(where is null ? "" : where + ".")}{property} is a non-empty string");

    private static string? Optional(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string property, string name, int number, string where) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw Bad(name, number, $"{where}.{property} is an integer");

    private static string OneOf(JsonElement element, string property, HashSet<string> allowed, string name, int number, string where)
    {
        var value = Text(element, property, name, number, where);
        return allowed.Contains(value) ? value : throw Bad(name, number, $"{where}.{property} is one of {string.Join(", ", allowed)} (found '{value}')");
    }

    private static InvalidDataException Bad(string name, int number, string problem) => new($"Ground truth {name}, line {number}: {problem}.");
}
