using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fhirhouse.Ml.Features;

namespace Fhirhouse.Ml.Pipelines;

/// <summary>
/// A model's whole pipeline as one JSON document, versioned in the lake: the features (<see cref="Features"/>), how the
/// model is trained (<see cref="Training"/>) and the gates it must pass (<see cref="Gates"/>). <see cref="Parse"/>
/// refuses an unknown or missing member, a bad value or a name SQL cannot take, naming where it is. docs/ml.md
/// documents every member.
/// </summary>
public sealed partial record PipelineSpec(string Name, string Description, FeatureSpec Features, TrainingSpec Training, GateSpec Gates, string Json)
{
    /// <summary>The SHA-256 (lowercase hex) of the spec as stored.</summary>
    public string Hash => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Json)));

    /// <summary>Parses a pipeline spec; throws <see cref="MlSpecException"/> naming the bad member.</summary>
    public static PipelineSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new MlSpecException("", $"not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", e);
        }

        using (document)
        {
            var root = new Member(document.RootElement, "");
            root.Allow("name", "description", "index", "sources", "features", "label", "subgroups", "training", "gates");
            var name = root.Identifier("name");
            var description = root.OptionalString("description") ?? "";
            var sources = root.Object("sources").Properties().Select(s =>
            {
                s.Allow("sql", "static");
                return new FeatureSource(Identifier(s.Name, s.Path), s.String("sql"), s.OptionalBool("static") ?? false);
            }).ToList();
            if (sources.Count == 0)
            {
                throw new MlSpecException("sources", "at least one source is needed.");
            }

            var features = root.Array("features").Select(f => ReadFeature(f, sources)).ToList();
            if (features.Count == 0)
            {
                throw new MlSpecException("features", "at least one feature is needed.");
            }

            if (features.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new MlSpecException("features", $"the feature name '{twice.Key}' is used twice.");
            }

            var label = root.Object("label");
            label.Allow("source", "where", "horizon_days", "exclude_prior");
            var labelSource = SourceOf(label, sources);
            if (sources.First(s => s.Name == labelSource).Static)
            {
                throw new MlSpecException(label.Path + ".source", $"the label reads events: '{labelSource}' is a static source.");
            }

            var labelDefinition = new LabelDefinition(labelSource, label.OptionalString("where"), label.Int("horizon_days", 1, 36_500), label.OptionalBool("exclude_prior") ?? false);
            var subgroups = root.OptionalArray("subgroups").Select(g =>
            {
                g.Allow("name", "feature", "bands");
                var feature = g.String("feature");
                var definition = features.Find(f => f.Name == feature) ?? throw new MlSpecException(g.Path + ".feature", $"no feature is named '{feature}'.");
                var bands = g.OptionalArray("bands").Select(b => b.Number()).ToList();
                if (bands.Count > 0 && definition.Categorical)
                {
                    throw new MlSpecException(g.Path + ".bands", $"'{feature}' is categorical: its values are the subgroups, it has no bands.");
                }

                if (bands.Count == 0 && !definition.Categorical)
                {
                    throw new MlSpecException(g.Path + ".bands", $"'{feature}' is numeric: give the bands that cut it (for example [40, 65]).");
                }

                if (bands.Zip(bands.Skip(1)).Any(p => p.Second <= p.First))
                {
                    throw new MlSpecException(g.Path + ".bands", "the bands must increase.");
                }

                return new SubgroupDefinition(g.Identifier("name"), feature, bands);
            }).ToList();

            var training = root.Object("training");
            training.Allow("trainer", "from", "to", "holdout", "seed", "trees", "leaves", "learning_rate", "min_leaf_rows");
            var trainer = training.OptionalString("trainer") ?? "fasttree";
            if (!TrainingSpec.Trainers.Contains(trainer, StringComparer.Ordinal))
            {
                throw new MlSpecException(training.Path + ".trainer", $"'{trainer}' is not a trainer here: {string.Join(", ", TrainingSpec.Trainers)}.");
            }

            var from = training.Date("from");
            var to = training.Date("to");
            if (to <= from)
            {
                throw new MlSpecException(training.Path + ".to", "must be after 'from'.");
            }

            var trainingSpec = new TrainingSpec(
                trainer, from, to, training.OptionalNumber("holdout", 0.05, 0.5) ?? 0.25, training.OptionalInt("seed", 0, int.MaxValue) ?? 1,
                training.OptionalInt("trees", 1, 5000) ?? 100, training.OptionalInt("leaves", 2, 1024) ?? 16,
                training.OptionalNumber("learning_rate", 1e-4, 1) ?? 0.1, training.OptionalInt("min_leaf_rows", 1, 100_000) ?? 20);

            var gates = root.Object("gates");
            gates.Allow("min_auroc", "max_brier", "max_calibration_error", "max_subgroup_auroc_drop", "min_subgroup_rows", "max_subgroup_loss_vs_champion");
            var gateSpec = new GateSpec(
                gates.OptionalNumber("min_auroc", 0, 1) ?? 0.6, gates.OptionalNumber("max_brier", 0, 1) ?? 0.25,
                gates.OptionalNumber("max_calibration_error", 0, 1) ?? 0.1, gates.OptionalNumber("max_subgroup_auroc_drop", 0, 1) ?? 0.1,
                gates.OptionalInt("min_subgroup_rows", 1, int.MaxValue) ?? 100, gates.OptionalNumber("max_subgroup_loss_vs_champion", 0, 1) ?? 0.05);

            var spec = new FeatureSpec(name, root.String("index"), sources, features, labelDefinition, subgroups);
            return new PipelineSpec(name, description, spec, trainingSpec, gateSpec, json);
        }
    }

    private static FeatureDefinition ReadFeature(Member f, List<FeatureSource> sources)
    {
        f.Allow("name", "source", "aggregate", "value", "where", "window_days", "type");
        var name = f.Identifier("name");
        if (FeatureTable.KeyColumns.Concat(FeatureTable.LabelColumns).Contains(name, StringComparer.Ordinal))
        {
            throw new MlSpecException(f.Path + ".name", $"'{name}' is a column of every feature table: name the feature otherwise.");
        }

        var source = SourceOf(f, sources);
        var isStatic = sources.First(s => s.Name == source).Static;
        var aggregateText = f.OptionalString("aggregate") ?? (isStatic ? "value" : "last");
        var aggregate = aggregateText switch
        {
            "value" => FeatureAggregate.Value,
            "last" => FeatureAggregate.Last,
            "first" => FeatureAggregate.First,
            "min" => FeatureAggregate.Min,
            "max" => FeatureAggregate.Max,
            "mean" => FeatureAggregate.Mean,
            "sum" => FeatureAggregate.Sum,
            "count" => FeatureAggregate.Count,
            "exists" => FeatureAggregate.Exists,
            "days_since_last" => FeatureAggregate.DaysSinceLast,
            _ => throw new MlSpecException(f.Path + ".aggregate", $"'{aggregateText}' is not an aggregate: value, last, first, min, max, mean, sum, count, exists, days_since_last."),
        };

        if (isStatic != (aggregate == FeatureAggregate.Value))
        {
            throw new MlSpecException(f.Path + ".aggregate", isStatic
                ? $"'{source}' is a static source (one row per patient): its features take 'value'."
                : $"'{source}' is an event source: 'value' is for static sources; aggregate its rows (last, count, exists ...).");
        }

        var type = f.OptionalString("type") ?? "numeric";
        if (type is not ("numeric" or "category"))
        {
            throw new MlSpecException(f.Path + ".type", $"'{type}' is not a feature type: numeric or category.");
        }

        var categorical = type == "category";
        if (categorical && aggregate is not (FeatureAggregate.Value or FeatureAggregate.Last or FeatureAggregate.First))
        {
            throw new MlSpecException(f.Path + ".type", $"a category takes 'value', 'last' or 'first', not '{aggregateText}'.");
        }

        var needsValue = aggregate is not (FeatureAggregate.Count or FeatureAggregate.Exists or FeatureAggregate.DaysSinceLast);
        var value = needsValue ? f.String("value") : f.OptionalString("value") is null ? "1" : throw new MlSpecException(f.Path + ".value", $"'{aggregateText}' counts rows: it takes no value.");
        var window = f.OptionalInt("window_days", 1, 36_500);
        if (isStatic && window is not null)
        {
            throw new MlSpecException(f.Path + ".window_days", "a static source has no time to window.");
        }

        return new FeatureDefinition(name, source, aggregate, value, f.OptionalString("where"), window, categorical);
    }

    private static string SourceOf(Member m, List<FeatureSource> sources)
    {
        var source = m.String("source");
        return sources.Exists(s => s.Name == source) ? source : throw new MlSpecException(m.Path + ".source", $"no source is named '{source}' (sources: {string.Join(", ", sources.Select(s => s.Name))}).");
    }

    private static string Identifier(string value, string path) =>
        IdentifierPattern().IsMatch(value) ? value : throw new MlSpecException(path, $"'{value}' is not a name here: lowercase letters, digits and '_', starting with a letter, at most 48 characters.");

    [GeneratedRegex("^[a-z][a-z0-9_]{0,47}$")]
    private static partial Regex IdentifierPattern();

    /// <summary>A JSON member being read, with its path for errors.</summary>
    private readonly record struct Member(JsonElement Element, string Path)
    {
        public string Name => Path[(Path.LastIndexOf('.') + 1)..];

        public void Allow(params string[] names)
        {
            if (Element.ValueKind != JsonValueKind.Object)
            {
                throw new MlSpecException(Path, "must be an object.");
            }

            foreach (var property in Element.EnumerateObject())
            {
                if (!names.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new MlSpecException(Join(property.Name), $"unknown member (accepted: {string.Join(", ", names)}).");
                }
            }
        }

        public IEnumerable<Member> Properties()
        {
            var path = Path;
            return Element.EnumerateObject().Select(p => new Member(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}")).ToList();
        }

        public Member Object(string name) =>
            Get(name) is { } m && m.Element.ValueKind == JsonValueKind.Object ? m : throw new MlSpecException(Join(name), "an object is required here.");

        public List<Member> Array(string name) =>
            Get(name) is { } m && m.Element.ValueKind == JsonValueKind.Array ? Items(m) : throw new MlSpecException(Join(name), "an array is required here.");

        public List<Member> OptionalArray(string name) => Get(name) is { } m
            ? m.Element.ValueKind == JsonValueKind.Array ? Items(m) : throw new MlSpecException(Join(name), "must be an array.")
            : [];

        public string String(string name) =>
            OptionalString(name) is { Length: > 0 } s ? s : throw new MlSpecException(Join(name), "a non-empty string is required here.");

        public string? OptionalString(string name) => Get(name) is { } m
            ? m.Element.ValueKind == JsonValueKind.String ? m.Element.GetString() : throw new MlSpecException(Join(name), "must be a string.")
            : null;

        public string Identifier(string name) => PipelineSpec.Identifier(String(name), Join(name));

        public bool? OptionalBool(string name) => Get(name) is { } m
            ? m.Element.ValueKind is JsonValueKind.True or JsonValueKind.False ? m.Element.GetBoolean() : throw new MlSpecException(Join(name), "must be true or false.")
            : null;

        public double Number() => Element.ValueKind == JsonValueKind.Number && Element.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new MlSpecException(Path, "must be a number.");

        public double? OptionalNumber(string name, double min, double max)
        {
            if (Get(name) is not { } m)
            {
                return null;
            }

            var value = m.Number();
            return value >= min && value <= max ? value : throw new MlSpecException(Join(name), $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }

        public int Int(string name, int min, int max) => OptionalInt(name, min, max) ?? throw new MlSpecException(Join(name), "an integer is required here.");

        public int? OptionalInt(string name, int min, int max)
        {
            if (Get(name) is not { } m)
            {
                return null;
            }

            if (m.Element.ValueKind != JsonValueKind.Number || !m.Element.TryGetInt64(out var value))
            {
                throw new MlSpecException(Join(name), "must be an integer.");
            }

            return value >= min && value <= max ? (int)value : throw new MlSpecException(Join(name), $"must be between {min} and {max} (got {value}).");
        }

        public DateTimeOffset Date(string name)
        {
            var text = String(name);
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                : throw new MlSpecException(Join(name), $"'{text}' is not a date (yyyy-MM-dd).");
        }

        private Member? Get(string name) =>
            Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? new Member(value, Join(name)) : null;

        private string Join(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

        private static List<Member> Items(Member m) => m.Element.EnumerateArray().Select((e, i) => new Member(e, $"{m.Path}[{i}]")).ToList();
    }
}
