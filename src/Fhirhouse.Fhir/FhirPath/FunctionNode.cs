using System.Text;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>A function call on the input collection. Iterating functions (where, select, exists) read each item as $this.</summary>
internal sealed class FunctionNode(FunctionKind kind, FhirPathNode[] arguments, string? typeName) : FhirPathNode
{
    private readonly byte[]? _utf8TypeName = typeName is null ? null : Encoding.UTF8.GetBytes(typeName);

    public FunctionKind Kind { get; } = kind;

    public string? TypeName { get; } = typeName;

    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        switch (Kind)
        {
            case FunctionKind.Where:
                Where(context, input, output);
                break;
            case FunctionKind.Select:
                Select(context, input, output);
                break;
            case FunctionKind.Exists:
                output.Add(FhirItem.FromBoolean(arguments.Length == 0 ? input.Count > 0 : AnyMatch(context, input)));
                break;
            case FunctionKind.Empty:
                output.Add(FhirItem.FromBoolean(input.Count == 0));
                break;
            case FunctionKind.First:
                if (input.Count > 0)
                {
                    output.Add(input[0]);
                }

                break;
            case FunctionKind.Last:
                if (input.Count > 0)
                {
                    output.Add(input[input.Count - 1]);
                }

                break;
            case FunctionKind.Count:
                output.Add(FhirItem.FromInteger(input.Count));
                break;
            case FunctionKind.OfType:
                for (var i = 0; i < input.Count; i++)
                {
                    if (FhirTypes.Matches(input[i], TypeName!))
                    {
                        output.Add(input[i]);
                    }
                }

                break;
            case FunctionKind.Is:
                if (input.Count > 1)
                {
                    throw new FhirPathException($"'is {TypeName}' needs a single item, got {input.Count}");
                }

                if (input.Count == 1)
                {
                    output.Add(FhirItem.FromBoolean(FhirTypes.Matches(input[0], TypeName!)));
                }

                break;
            case FunctionKind.Not:
                if (BinaryNode.ToBoolean(input) is { } value)
                {
                    output.Add(FhirItem.FromBoolean(!value));
                }

                break;
            case FunctionKind.Join:
                Join(context, input, output);
                break;
            case FunctionKind.Extension:
                Extension(context, input, output);
                break;
            case FunctionKind.GetResourceKey:
                for (var i = 0; i < input.Count; i++)
                {
                    if (input[i].IsObject && input[i].Element.TryGetProperty("id"u8, out var id))
                    {
                        output.Add(FhirItem.FromElement(id));
                    }
                }

                break;
            case FunctionKind.GetReferenceKey:
                for (var i = 0; i < input.Count; i++)
                {
                    if (ReferenceKey.Of(input[i], _utf8TypeName) is { } key)
                    {
                        output.Add(FhirItem.FromString(key));
                    }
                }

                break;
            case FunctionKind.LowBoundary or FunctionKind.HighBoundary:
                for (var i = 0; i < input.Count; i++)
                {
                    if (PrecisionBoundary.Of(input[i], Kind == FunctionKind.HighBoundary) is { } boundary)
                    {
                        output.Add(boundary);
                    }
                }

                break;
            case FunctionKind.StartsWith or FunctionKind.EndsWith or FunctionKind.Contains:
                StringTest(context, input, output);
                break;
            case FunctionKind.Iif:
                Iif(context, input, output);
                break;
            case FunctionKind.Distinct:
                for (var i = 0; i < input.Count; i++)
                {
                    var seen = false;
                    for (var j = 0; j < i && !seen; j++)
                    {
                        seen = ItemComparison.Equal(input[i], input[j]) == true;
                    }

                    if (!seen)
                    {
                        output.Add(input[i]);
                    }
                }

                break;
            case FunctionKind.Single:
                if (input.Count > 1)
                {
                    throw new FhirPathException($"single() got {input.Count} items");
                }

                output.AddRange(input);
                break;
            case FunctionKind.Tail or FunctionKind.Skip or FunctionKind.Take:
                var count = Kind == FunctionKind.Tail ? 1 : IntegerArgument(context, input, 0);
                var (from, to) = Kind == FunctionKind.Take ? (0, Math.Min(count, input.Count)) : (Math.Max(count, 0), input.Count);
                for (var i = from; i < to; i++)
                {
                    output.Add(input[i]);
                }

                break;
            default:
                if (input.Count > 1)
                {
                    throw new FhirPathException($"{Kind} needs a single item, got {input.Count}");
                }

                if (input.Count == 1 && Convert(context, input, input[0]) is { } converted)
                {
                    output.Add(converted);
                }

                break;
        }
    }

    /// <summary>The single-item functions: conversions and string functions; null where the result is empty.</summary>
    private FhirItem? Convert(EvaluationContext context, ItemBuffer input, in FhirItem item)
    {
        var kind = item.PrimitiveKind;
        switch (Kind)
        {
            case FunctionKind.HasValue:
                return FhirItem.FromBoolean(kind != ItemKind.Element);
            case FunctionKind.ToInteger:
                return kind == ItemKind.Integer ? FhirItem.FromInteger(item.GetInteger())
                    : kind == ItemKind.Boolean ? FhirItem.FromInteger(item.GetBoolean() ? 1 : 0)
                    : kind == ItemKind.String && long.TryParse(item.GetString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var integer) ? FhirItem.FromInteger(integer)
                    : null;
            case FunctionKind.ToDecimal:
                return ItemComparison.IsNumber(kind) ? FhirItem.FromDecimal(item.GetNumber())
                    : kind == ItemKind.Boolean ? FhirItem.FromDecimal(item.GetBoolean() ? 1 : 0)
                    : kind == ItemKind.String && decimal.TryParse(item.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) ? FhirItem.FromDecimal(number)
                    : null;
            case FunctionKind.ToString:
                return kind == ItemKind.Element ? null : FhirItem.FromString(item.GetString());
        }

        if (kind is ItemKind.Element or ItemKind.Boolean or ItemKind.Integer or ItemKind.Decimal)
        {
            throw new FhirPathException($"{Kind} needs a string, got {kind}");
        }

        var text = item.GetString();
        switch (Kind)
        {
            case FunctionKind.Lower:
                return FhirItem.FromString(text.ToLowerInvariant());
            case FunctionKind.Upper:
                return FhirItem.FromString(text.ToUpperInvariant());
            case FunctionKind.Length:
                return FhirItem.FromInteger(text.Length);
            default:
                var start = IntegerArgument(context, input, 0);
                if (start < 0 || start >= text.Length)
                {
                    return null;
                }

                var length = arguments.Length > 1 ? Math.Clamp(IntegerArgument(context, input, 1), 0, text.Length - start) : text.Length - start;
                return FhirItem.FromString(text.Substring(start, length));
        }
    }

    private void Iif(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var criterion = context.Rent();
        arguments[0].Evaluate(context, input, criterion);
        var branch = BinaryNode.ToBoolean(criterion) == true ? 1 : 2;
        context.Return(criterion);
        if (branch < arguments.Length)
        {
            arguments[branch].Evaluate(context, input, output);
        }
    }

    private int IntegerArgument(EvaluationContext context, ItemBuffer input, int index)
    {
        var value = context.Rent();
        arguments[index].Evaluate(context, input, value);
        var result = value.Count == 1 && value[0].PrimitiveKind == ItemKind.Integer
            ? (int)value[0].GetInteger()
            : throw new FhirPathException($"argument {index + 1} of {Kind} must be a single integer");
        context.Return(value);
        return result;
    }

    private void Where(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var result = context.Rent();
        for (var i = 0; i < input.Count; i++)
        {
            var single = context.Rent(input[i]);
            result.Clear();
            arguments[0].Evaluate(context, single, result);
            if (BinaryNode.ToBoolean(result) == true)
            {
                output.Add(input[i]);
            }

            context.Return(single);
        }

        context.Return(result);
    }

    private void Select(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        for (var i = 0; i < input.Count; i++)
        {
            var single = context.Rent(input[i]);
            arguments[0].Evaluate(context, single, output);
            context.Return(single);
        }
    }

    private bool AnyMatch(EvaluationContext context, ItemBuffer input)
    {
        var matches = context.Rent();
        Where(context, input, matches);
        var any = matches.Count > 0;
        context.Return(matches);
        return any;
    }

    private string? StringArgument(EvaluationContext context, ItemBuffer input, int index)
    {
        var value = context.Rent();
        arguments[index].Evaluate(context, input, value);
        var text = value.Count switch
        {
            0 => null,
            1 => value[0].GetString(),
            _ => throw new FhirPathException("a string argument must be a single item"),
        };
        context.Return(value);
        return text;
    }

    private void Join(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var separator = arguments.Length == 0 ? string.Empty : StringArgument(context, input, 0) ?? string.Empty;
        if (input.Count == 1)
        {
            output.Add(FhirItem.FromString(input[0].GetString()));
            return;
        }

        var text = new StringBuilder();
        for (var i = 0; i < input.Count; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            text.Append(input[i].GetString());
        }

        output.Add(FhirItem.FromString(text.ToString()));
    }

    private void Extension(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var url = StringArgument(context, input, 0);
        if (url is null)
        {
            return;
        }

        for (var i = 0; i < input.Count; i++)
        {
            if (!input[i].IsObject || !input[i].Element.TryGetProperty("extension"u8, out var extensions)
                || extensions.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                continue;
            }

            foreach (var extension in extensions.EnumerateArray())
            {
                if (extension.TryGetProperty("url"u8, out var extensionUrl) && extensionUrl.ValueEquals(url))
                {
                    output.Add(FhirItem.FromElement(extension, "Extension"));
                }
            }
        }
    }

    private void StringTest(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        if (input.Count == 0)
        {
            return;
        }

        if (input.Count > 1)
        {
            throw new FhirPathException($"{Kind} needs a single string input");
        }

        var argument = StringArgument(context, input, 0);
        if (argument is null)
        {
            return;
        }

        var text = input[0].GetString();
        output.Add(FhirItem.FromBoolean(Kind switch
        {
            FunctionKind.StartsWith => text.StartsWith(argument, StringComparison.Ordinal),
            FunctionKind.EndsWith => text.EndsWith(argument, StringComparison.Ordinal),
            _ => text.Contains(argument, StringComparison.Ordinal),
        }));
    }
}
