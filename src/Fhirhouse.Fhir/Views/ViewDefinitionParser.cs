using System.Globalization;
using System.Text.Json;
using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>
/// Reads a ViewDefinition resource, checks it and compiles its FHIRPath once. Every error names the place in the view.
/// </summary>
internal sealed class ViewDefinitionParser
{
    private static readonly string[] s_selectProperties = ["id", "extension", "column", "select", "forEach", "forEachOrNull", "repeat", "unionAll"];
    private static readonly string[] s_columnProperties = ["id", "extension", "name", "path", "description", "collection", "type", "tag"];

    private readonly List<ViewColumn> _columns = [];
    private readonly Dictionary<string, string> _columnPaths = new(StringComparer.Ordinal);
    private Dictionary<string, FhirItem> _constants = new(StringComparer.Ordinal);

    /// <summary>When parsing the second and later branches of a unionAll: the slots of the first branch, reused in order.</summary>
    private Queue<int>? _replay;

    public string? Name { get; private set; }

    public string Resource { get; private set; } = string.Empty;

    public IReadOnlyList<ViewColumn> Columns => _columns;

    public FhirPathNode[] Where { get; private set; } = [];

    public string[] WherePaths { get; private set; } = [];

    public SelectPlan Root { get; private set; } = null!;

    public static ViewDefinitionParser Parse(JsonElement view)
    {
        var parser = new ViewDefinitionParser();
        parser.ParseView(view);
        return parser;
    }

    private static bool IsName(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private void ParseView(JsonElement view)
    {
        if (view.ValueKind != JsonValueKind.Object)
        {
            throw new ViewDefinitionException(string.Empty, "a ViewDefinition must be a JSON object");
        }

        if (view.TryGetProperty("resourceType", out var resourceType) && !resourceType.ValueEquals("ViewDefinition"))
        {
            throw new ViewDefinitionException("resourceType", $"must be ViewDefinition, not '{resourceType}'");
        }

        Resource = RequiredString(view, "resource", "resource");
        if (!IsName(Resource) || !char.IsUpper(Resource[0]))
        {
            throw new ViewDefinitionException("resource", $"'{Resource}' is not a FHIR resource type");
        }

        if (view.TryGetProperty("name", out var name))
        {
            Name = name.ValueKind == JsonValueKind.String && IsName(name.GetString()!)
                ? name.GetString()
                : throw new ViewDefinitionException("name", "must be a name of letters, digits and _ starting with a letter");
        }

        _constants = ParseConstants(view);
        var where = new List<FhirPathNode>();
        var wherePaths = new List<string>();
        foreach (var (filter, path) in Array(view, "where", string.Empty))
        {
            where.Add(Compile(RequiredString(filter, "path", path + ".path"), path + ".path"));
            wherePaths.Add(path + ".path");
        }

        Where = [.. where];
        WherePaths = [.. wherePaths];
        var selects = Array(view, "select", string.Empty);
        if (selects.Count == 0)
        {
            throw new ViewDefinitionException("select", "a view needs at least one select");
        }

        var parts = new List<SelectPlan>();
        foreach (var (select, path) in selects)
        {
            parts.Add(ParseSelect(select, path));
        }

        Root = new SelectPlan { Path = string.Empty, Parts = [.. parts] };
    }

    private Dictionary<string, FhirItem> ParseConstants(JsonElement view)
    {
        var constants = new Dictionary<string, FhirItem>(StringComparer.Ordinal);
        foreach (var (constant, path) in Array(view, "constant", string.Empty))
        {
            var name = RequiredString(constant, "name", path + ".name");
            if (!IsName(name))
            {
                throw new ViewDefinitionException(path + ".name", $"'{name}' is not a valid constant name");
            }

            FhirItem? value = null;
            foreach (var property in constant.EnumerateObject())
            {
                if (!property.Name.StartsWith("value", StringComparison.Ordinal))
                {
                    continue;
                }

                if (value is not null)
                {
                    throw new ViewDefinitionException(path, $"constant '{name}' has more than one value[x]");
                }

                value = ConstantValue(property.Name["value".Length..], property.Value, path + "." + property.Name);
            }

            if (!constants.TryAdd(name, value ?? throw new ViewDefinitionException(path, $"constant '{name}' has no value[x]")))
            {
                throw new ViewDefinitionException(path + ".name", $"constant '{name}' is defined twice");
            }
        }

        return constants;
    }

    private static FhirItem ConstantValue(string suffix, JsonElement value, string path)
    {
        var json = suffix switch
        {
            "Boolean" => "boolean",
            "Integer" or "PositiveInt" or "UnsignedInt" or "Decimal" => "number",
            "Integer64" => value.ValueKind == JsonValueKind.Number ? "number" : "string",
            "Base64Binary" or "Canonical" or "Code" or "Date" or "DateTime" or "Id" or "Instant" or "Markdown" or "Oid"
                or "String" or "Time" or "Uri" or "Url" or "Uuid" => "string",
            _ => throw new ViewDefinitionException(path, $"value{suffix} is not a constant type (constants are primitive values)"),
        };
        var matches = json switch
        {
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "number" => value.ValueKind == JsonValueKind.Number,
            _ => value.ValueKind == JsonValueKind.String,
        };
        if (!matches)
        {
            throw new ViewDefinitionException(path, $"value{suffix} must be a JSON {json}");
        }

        return suffix switch
        {
            "Boolean" => FhirItem.FromBoolean(value.GetBoolean()),
            "Integer" or "PositiveInt" or "UnsignedInt" => value.TryGetInt64(out var integer)
                ? FhirItem.FromInteger(integer)
                : throw new ViewDefinitionException(path, $"value{suffix} must be an integer"),
            "Integer64" => json == "number" ? FhirItem.FromInteger(value.GetInt64())
                : long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? FhirItem.FromInteger(big)
                : throw new ViewDefinitionException(path, "valueInteger64 must be an integer"),
            "Decimal" => FhirItem.FromDecimal(value.GetDecimal()),
            "Date" => FhirItem.FromTemporal(ItemKind.Date, value.GetString()!),
            "DateTime" or "Instant" => FhirItem.FromTemporal(ItemKind.DateTime, value.GetString()!),
            "Time" => FhirItem.FromTemporal(ItemKind.Time, value.GetString()!),
            _ => FhirItem.FromString(value.GetString()!),
        };
    }

    private SelectPlan ParseSelect(JsonElement select, string path)
    {
        if (select.ValueKind != JsonValueKind.Object)
        {
            throw new ViewDefinitionException(path, "a select must be a JSON object");
        }

        RejectUnknown(select, s_selectProperties, path);

        var slots = new List<int>();
        FhirPathNode? forEach = null;
        var orNull = false;
        if (select.TryGetProperty("forEach", out var forEachElement))
        {
            forEach = CompileProperty(forEachElement, path + ".forEach");
        }

        if (select.TryGetProperty("forEachOrNull", out var forEachOrNullElement))
        {
            if (forEach is not null)
            {
                throw new ViewDefinitionException(path, "a select cannot have both forEach and forEachOrNull");
            }

            forEach = CompileProperty(forEachOrNullElement, path + ".forEachOrNull");
            orNull = true;
        }

        FhirPathNode[]? repeat = null;
        if (select.TryGetProperty("repeat", out _))
        {
            if (forEach is not null)
            {
                throw new ViewDefinitionException(path, "a select cannot combine repeat with forEach or forEachOrNull");
            }

            var paths = Array(select, "repeat", path);
            repeat = paths.Count == 0
                ? throw new ViewDefinitionException(path + ".repeat", "needs at least one path")
                : [.. paths.Select(p => CompileProperty(p.Element, p.Path))];
        }

        string[] iterationPaths = forEach is not null ? [path + (orNull ? ".forEachOrNull" : ".forEach")]
            : repeat is not null ? [.. Enumerable.Range(0, repeat.Length).Select(i => $"{path}.repeat[{i}]")]
            : [];
        var columns = new List<ColumnPlan>();
        foreach (var (column, columnPath) in Array(select, "column", path))
        {
            columns.Add(ParseColumn(column, columnPath, slots));
        }

        var parts = new List<SelectPlan>();
        foreach (var (nested, nestedPath) in Array(select, "select", path))
        {
            var plan = ParseSelect(nested, nestedPath);
            slots.AddRange(plan.Slots);
            parts.Add(plan);
        }

        var union = Array(select, "unionAll", path);
        if (union.Count > 0)
        {
            var plan = ParseUnion(union, path + ".unionAll");
            slots.AddRange(plan.Slots);
            parts.Add(plan);
        }

        if (columns.Count == 0 && parts.Count == 0)
        {
            throw new ViewDefinitionException(path, "a select needs column, select or unionAll");
        }

        return new SelectPlan
        {
            Path = path,
            ForEach = forEach,
            OrNull = orNull,
            Repeat = repeat,
            IterationPaths = iterationPaths,
            Columns = [.. columns],
            Parts = [.. parts],
            Slots = [.. slots],
        };
    }

    private SelectPlan ParseUnion(List<(JsonElement Element, string Path)> branches, string path)
    {
        var outerReplay = _replay;
        var plans = new List<SelectPlan>();
        int[] slots = [];
        for (var i = 0; i < branches.Count; i++)
        {
            if (i > 0)
            {
                _replay = new Queue<int>(slots);
            }

            var plan = ParseSelect(branches[i].Element, branches[i].Path);
            if (i == 0)
            {
                slots = plan.Slots;
            }
            else if (_replay!.Count > 0 || plan.Slots.Length != slots.Length)
            {
                throw new ViewDefinitionException(branches[i].Path, $"unionAll branches must have the same columns in the same order; this one has {plan.Slots.Length}, the first has {slots.Length}");
            }

            plans.Add(plan);
            _replay = i == 0 ? outerReplay : null;
        }

        _replay = outerReplay;

        return new SelectPlan { Path = path, Branches = [.. plans], Slots = slots };
    }

    private ColumnPlan ParseColumn(JsonElement column, string path, List<int> slots)
    {
        if (column.ValueKind != JsonValueKind.Object)
        {
            throw new ViewDefinitionException(path, "a column must be a JSON object");
        }

        RejectUnknown(column, s_columnProperties, path);

        var name = RequiredString(column, "name", path + ".name");
        if (!IsName(name))
        {
            throw new ViewDefinitionException(path + ".name", $"'{name}' is not a valid column name (letters, digits and _, starting with a letter)");
        }

        var expression = Compile(RequiredString(column, "path", path + ".path"), path + ".path");
        var fhirType = OptionalString(column, "type", path + ".type");
        var collection = false;
        if (column.TryGetProperty("collection", out var collectionElement))
        {
            collection = collectionElement.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ViewDefinitionException(path + ".collection", "must be true or false"),
            };
        }

        var tags = new List<ViewColumnTag>();
        foreach (var (tag, tagPath) in Array(column, "tag", path))
        {
            tags.Add(new ViewColumnTag(RequiredString(tag, "name", tagPath + ".name"), RequiredString(tag, "value", tagPath + ".value")));
        }

        var definition = new ViewColumn(name, fhirType, ViewColumn.TypeOf(fhirType), collection, OptionalString(column, "description", path + ".description"), tags);
        int slot;
        if (_replay is not null)
        {
            if (!_replay.TryDequeue(out slot))
            {
                throw new ViewDefinitionException(path + ".name", $"unionAll branches must have the same columns in the same order: '{name}' is not in the first branch");
            }

            if (!string.Equals(_columns[slot].Name, name, StringComparison.Ordinal))
            {
                throw new ViewDefinitionException(path + ".name", $"unionAll branches must have the same columns in the same order: got '{name}' where the first branch has '{_columns[slot].Name}'");
            }
        }
        else
        {
            if (_columnPaths.TryGetValue(name, out var other))
            {
                throw new ViewDefinitionException(path + ".name", $"column '{name}' is already defined at {other}");
            }

            _columnPaths.Add(name, path);
            slot = _columns.Count;
            _columns.Add(definition);
        }

        slots.Add(slot);
        return new ColumnPlan(definition, expression, slot, path);
    }

    private FhirPathNode CompileProperty(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? Compile(element.GetString()!, path)
            : throw new ViewDefinitionException(path, $"must be a FHIRPath string, not {element.ValueKind.ToString().ToLowerInvariant()}");

    private FhirPathNode Compile(string expression, string path)
    {
        try
        {
            return FhirPathCompiler.Compile(expression, _constants);
        }
        catch (FhirPathException e)
        {
            throw new ViewDefinitionException(path, e.Message, e);
        }
    }

    private static void RejectUnknown(JsonElement element, string[] known, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (System.Array.IndexOf(known, property.Name) < 0)
            {
                throw new ViewDefinitionException($"{path}.{property.Name}", $"unknown property; expected one of {string.Join(", ", known)}");
            }
        }
    }

    private static string RequiredString(JsonElement parent, string property, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(property, out var value))
        {
            throw new ViewDefinitionException(path, "is required");
        }

        return value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0
            ? value.GetString()!
            : throw new ViewDefinitionException(path, "must be a non-empty string");
    }

    private static string? OptionalString(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ViewDefinitionException(path, "must be a string");
    }

    private static List<(JsonElement Element, string Path)> Array(JsonElement parent, string property, string parentPath)
    {
        var path = parentPath.Length == 0 ? property : parentPath + "." + property;
        var items = new List<(JsonElement, string)>();
        if (!parent.TryGetProperty(property, out var value))
        {
            return items;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ViewDefinitionException(path, "must be an array");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add((item, $"{path}[{index++}]"));
        }

        return items;
    }
}
