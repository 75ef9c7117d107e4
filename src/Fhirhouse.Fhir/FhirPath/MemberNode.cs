using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// Navigation to a child element. A name missing from the JSON is looked up as a choice element (value finds
/// valueQuantity); <c>value.ofType(Quantity)</c> compiles to a single lookup of valueQuantity.
/// </summary>
internal sealed class MemberNode : FhirPathNode
{
    private readonly byte[] _utf8Name;
    private readonly byte[]? _utf8ChoiceName;

    public MemberNode(string name, string? choiceType = null)
    {
        Name = name;
        ChoiceType = choiceType;
        _utf8Name = Encoding.UTF8.GetBytes(name);
        _utf8ChoiceName = choiceType is null ? null : Encoding.UTF8.GetBytes(name + FhirTypes.SuffixOf(choiceType));
    }

    public string Name { get; }

    public string? ChoiceType { get; }

    public MemberNode WithType(string type) => new(Name, type);

    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        for (var i = 0; i < input.Count; i++)
        {
            ref readonly var item = ref input[i];
            if (!item.IsObject)
            {
                continue;
            }

            var element = item.Element;
            if (_utf8ChoiceName is not null)
            {
                if (element.TryGetProperty(_utf8ChoiceName, out var typed))
                {
                    Append(typed, ChoiceType, output);
                }
                else if (element.TryGetProperty(_utf8Name, out var plain))
                {
                    AppendOfType(plain, ChoiceType!, output);
                }

                continue;
            }

            if (element.TryGetProperty(_utf8Name, out var value))
            {
                Append(value, null, output);
            }
            else if (char.IsUpper(Name[0]) && element.TryGetProperty("resourceType"u8, out var resourceType)
                     && resourceType.ValueEquals(_utf8Name))
            {
                output.Add(item);
            }
            else
            {
                AppendChoice(element, output);
            }
        }
    }

    private static void Append(JsonElement value, string? type, ItemBuffer output)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Null)
                {
                    output.Add(FhirItem.FromElement(element, type));
                }
            }
        }
        else if (value.ValueKind != JsonValueKind.Null)
        {
            output.Add(FhirItem.FromElement(value, type));
        }
    }

    private static void AppendOfType(JsonElement value, string type, ItemBuffer output)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                var item = FhirItem.FromElement(element);
                if (FhirTypes.Matches(item, type))
                {
                    output.Add(item);
                }
            }
        }
        else
        {
            var item = FhirItem.FromElement(value);
            if (FhirTypes.Matches(item, type))
            {
                output.Add(item);
            }
        }
    }

    private void AppendChoice(JsonElement element, ItemBuffer output)
    {
        Span<char> suffix = stackalloc char[32];
        foreach (var property in element.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.Length <= _utf8Name.Length || raw.Length - _utf8Name.Length > suffix.Length || !raw.StartsWith(_utf8Name)
                || raw[_utf8Name.Length] is < (byte)'A' or > (byte)'Z')
            {
                continue;
            }

            var written = Encoding.UTF8.GetChars(raw[_utf8Name.Length..], suffix);
            var type = FhirTypes.TypeOfSuffix(suffix[..written]);
            if (type is not null)
            {
                Append(property.Value, type, output);
                return;
            }
        }
    }
}
