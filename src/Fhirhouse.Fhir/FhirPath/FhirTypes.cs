using System.Collections.Frozen;
using System.Text.Json;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>The FHIR data type names FHIRPath needs without a structure definition: choice suffixes and type tests.</summary>
internal static class FhirTypes
{
    private static readonly string[] s_primitiveStrings =
    [
        "string", "code", "id", "uri", "url", "canonical", "oid", "uuid", "markdown", "base64Binary", "date", "dateTime",
        "instant", "time", "xhtml",
    ];

    private static readonly string[] s_primitiveNumbers = ["integer", "decimal", "positiveInt", "unsignedInt", "integer64"];

    private static readonly string[] s_complex =
    [
        "Address", "Age", "Annotation", "Attachment", "CodeableConcept", "CodeableReference", "Coding", "ContactDetail",
        "ContactPoint", "Contributor", "Count", "DataRequirement", "Distance", "Dosage", "Duration", "Expression",
        "HumanName", "Identifier", "Meta", "Money", "ParameterDefinition", "Period", "Quantity", "Range", "Ratio",
        "RatioRange", "Reference", "RelatedArtifact", "SampledData", "Signature", "Timing", "TriggerDefinition",
        "UsageContext", "Availability", "ExtendedContactDetail", "VirtualServiceDetail", "MonetaryComponent",
    ];

    /// <summary>The elements of common complex types, to tell an untyped JSON object's type by its shape.</summary>
    private static readonly FrozenDictionary<string, FrozenSet<string>> s_shapes = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Quantity"] = ["value", "comparator", "unit", "system", "code"],
        ["Age"] = ["value", "comparator", "unit", "system", "code"],
        ["Count"] = ["value", "comparator", "unit", "system", "code"],
        ["Distance"] = ["value", "comparator", "unit", "system", "code"],
        ["Duration"] = ["value", "comparator", "unit", "system", "code"],
        ["Money"] = ["value", "currency"],
        ["Period"] = ["start", "end"],
        ["Range"] = ["low", "high"],
        ["Ratio"] = ["numerator", "denominator"],
        ["Coding"] = ["system", "version", "code", "display", "userSelected"],
        ["CodeableConcept"] = ["coding", "text"],
        ["Reference"] = ["reference", "type", "identifier", "display"],
        ["Identifier"] = ["use", "type", "system", "value", "period", "assigner"],
        ["HumanName"] = ["use", "text", "family", "given", "prefix", "suffix", "period"],
        ["Address"] = ["use", "type", "text", "line", "city", "district", "state", "postalCode", "country", "period"],
        ["ContactPoint"] = ["system", "value", "use", "rank", "period"],
        ["Attachment"] = ["contentType", "language", "data", "url", "size", "hash", "title", "creation"],
        ["Annotation"] = ["authorReference", "authorString", "time", "text"],
    }.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase);

    /// <summary>Choice suffixes as they appear in JSON (valueQuantity, valueBoolean) mapped to the FHIR type name.</summary>
    private static readonly FrozenDictionary<string, string> s_suffixToType = BuildSuffixes();

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_suffixLookup =
        s_suffixToType.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string> s_stringTypes = s_primitiveStrings.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> s_numberTypes = s_primitiveNumbers.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The FHIR type named by a choice property suffix (Quantity for valueQuantity), or null.</summary>
    public static string? TypeOfSuffix(ReadOnlySpan<char> suffix) =>
        s_suffixLookup.TryGetValue(suffix, out var type) ? type : null;

    /// <summary>The JSON suffix of a choice element of the given type (Quantity, Boolean, DateTime).</summary>
    public static string SuffixOf(string type) => UpperFirst(type);

    public static ItemKind TemporalKind(string type) => type switch
    {
        "date" or "Date" => ItemKind.Date,
        "dateTime" or "DateTime" or "instant" or "Instant" => ItemKind.DateTime,
        "time" or "Time" => ItemKind.Time,
        _ => ItemKind.String,
    };

    /// <summary>Whether the item is of the type (ofType, is, as): exact when the type is known, else inferred from JSON.</summary>
    public static bool Matches(in FhirItem item, string type)
    {
        if (item.Type is not null)
        {
            return string.Equals(item.Type, type, StringComparison.OrdinalIgnoreCase);
        }

        switch (item.Kind)
        {
            case ItemKind.Boolean:
                return type is "boolean" or "Boolean";
            case ItemKind.Integer:
                return s_numberTypes.Contains(type) && !string.Equals(type, "decimal", StringComparison.OrdinalIgnoreCase);
            case ItemKind.Decimal:
                return string.Equals(type, "decimal", StringComparison.OrdinalIgnoreCase);
            case ItemKind.String:
                return s_stringTypes.Contains(type) && TemporalKind(type) == ItemKind.String;
            case ItemKind.Date or ItemKind.DateTime or ItemKind.Time:
                return TemporalKind(type) == item.Kind;
        }

        return item.Element.ValueKind switch
        {
            JsonValueKind.String => s_stringTypes.Contains(type),
            JsonValueKind.Number => s_numberTypes.Contains(type),
            JsonValueKind.True or JsonValueKind.False => type is "boolean" or "Boolean",
            JsonValueKind.Object => type.Length > 0 && char.IsUpper(type[0]) && HasShapeOf(item.Element, type),
            _ => false,
        };
    }

    /// <summary>Whether every element of the object belongs to the type; true for types whose elements are not listed.</summary>
    private static bool HasShapeOf(JsonElement element, string type)
    {
        if (!s_shapes.TryGetValue(type, out var elements))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (!elements.Contains(name) && name is not ("id" or "extension") && !name.StartsWith('_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string UpperFirst(string name) =>
        name.Length == 0 || char.IsUpper(name[0]) ? name : string.Concat(char.ToUpperInvariant(name[0]).ToString(), name.AsSpan(1));

    private static FrozenDictionary<string, string> BuildSuffixes()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in s_primitiveStrings.Concat(s_primitiveNumbers).Append("boolean").Concat(s_complex))
        {
            map[UpperFirst(type)] = type;
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
