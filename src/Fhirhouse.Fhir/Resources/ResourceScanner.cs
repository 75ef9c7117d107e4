using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Fhir.Resources;

/// <summary>
/// Reads a resource's header (<see cref="ResourceHeader"/>) in one forward pass over its UTF-8 JSON with
/// <see cref="Utf8JsonReader"/>: no object model, narrative and contained resources skipped. Checks the structure
/// ingestion relies on and throws <see cref="InvalidResourceException"/> naming the first problem. The owning patient
/// is the first reference to a Patient along the type's <see cref="PatientCompartment"/> paths; for a type outside the
/// compartment, its <c>subject</c> or <c>patient</c> reference.
/// </summary>
public static class ResourceScanner
{
    private const int MaxTrackedDepth = 4;

    /// <summary>
    /// For types outside the R4 Patient compartment that still point at a patient (Device.patient): the patient they
    /// name owns them too, so that erasure and access rules reach them.
    /// </summary>
    private static readonly string[] s_fallbackPaths = ["subject", "patient"];

    /// <summary>
    /// Scans one resource. Throws <see cref="InvalidResourceException"/> when it is not a resource: not UTF-8 (naming
    /// the offset of the first bad byte), not a JSON object, no resourceType or no id. With
    /// <paramref name="checkStructure"/> (the default) also when the type is not an R4 resource type, the id is not a
    /// FHIR id, or meta.lastUpdated is not an instant.
    /// </summary>
    public static ResourceHeader Scan(ReadOnlySpan<byte> json, bool checkStructure = true)
    {
        if (Utf8Validation.IndexOfInvalid(json) is var invalid and >= 0)
        {
            throw new InvalidResourceException($"invalid UTF-8 at byte offset {invalid}");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        try
        {
            return ScanCore(json, ref reader, checkStructure);
        }
        catch (JsonException e)
        {
            throw new InvalidResourceException($"not valid JSON: {e.Message}", inner: e);
        }
        catch (InvalidOperationException e)
        {
            // A string whose escapes are not Unicode text (a lone surrogate such as \uD800).
            throw new InvalidResourceException($"a string is not valid Unicode: {e.Message}", inner: e);
        }
    }

    /// <summary>The top-level resourceType, or null when the payload is not a JSON object that has one.</summary>
    public static string? PeekResourceType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("resourceType"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }

    private static ResourceHeader ScanCore(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, bool checkStructure)
    {
        if (!reader.Read())
        {
            throw new InvalidResourceException("empty payload");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidResourceException($"expected a JSON object, found {reader.TokenType}");
        }

        string? type = null, id = null, versionId = null, lastUpdatedText = null;
        List<(string Path, string Reference)>? patientReferences = null;
        Span<(int Start, int Length)> names = stackalloc (int, int)[MaxTrackedDepth + 1];
        names.Fill((-1, 0));

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                {
                    var depth = reader.CurrentDepth;
                    if (depth == 1)
                    {
                        if (reader.ValueTextEquals("resourceType"u8))
                        {
                            type = ReadString(ref reader, "resourceType");
                            continue;
                        }

                        if (reader.ValueTextEquals("id"u8))
                        {
                            id = ReadString(ref reader, "id");
                            continue;
                        }

                        if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("contained"u8))
                        {
                            reader.Read();
                            reader.Skip();
                            continue;
                        }

                        if (reader.ValueTextEquals("meta"u8))
                        {
                            ReadMeta(ref reader, out versionId, out lastUpdatedText);
                            continue;
                        }
                    }

                    if (depth <= MaxTrackedDepth)
                    {
                        // A property name at this depth; deeper levels are forgotten, so the unnamed level of array
                        // elements stays out of the path ("participant[].actor" is "participant.actor").
                        names[depth] = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                        for (var d = depth + 1; d <= MaxTrackedDepth; d++)
                        {
                            names[d] = (-1, 0);
                        }
                    }

                    if (depth >= 2 && reader.ValueTextEquals("reference"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String && StartsWithPatient(ref reader))
                        {
                            patientReferences ??= [];
                            patientReferences.Add((PathOf(json, names, Math.Min(depth - 1, MaxTrackedDepth)), reader.GetString()!));
                        }
                    }

                    break;
                }
            }
        }

        if (type is null)
        {
            throw new InvalidResourceException("no resourceType");
        }

        if (checkStructure && !FhirResourceTypes.IsKnown(type))
        {
            throw new InvalidResourceException($"unknown resourceType '{type}' (not an R4 resource type)");
        }

        if (id is null)
        {
            throw new InvalidResourceException($"{type} has no id");
        }

        if (checkStructure && !IsValidId(id))
        {
            throw new InvalidResourceException($"{type} id '{Truncate(id)}' is not a FHIR id ([A-Za-z0-9-.], 1 to 64 characters)");
        }

        DateTimeOffset? lastUpdated = null;
        if (lastUpdatedText is not null)
        {
            var valid = DateTimeOffset.TryParse(lastUpdatedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && lastUpdatedText.Contains('T', StringComparison.Ordinal);
            if (!valid && checkStructure)
            {
                throw new InvalidResourceException($"{type}/{id} meta.lastUpdated '{Truncate(lastUpdatedText)}' is not a FHIR instant");
            }

            lastUpdated = valid ? parsed : null;
        }

        return new ResourceHeader(type, id, versionId, lastUpdated, OwnerOf(type, id, patientReferences));
    }

    private static bool StartsWithPatient(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            var text = reader.GetString()!;
            return text.Length > 8 && text.StartsWith("Patient/", StringComparison.Ordinal);
        }

        return reader.ValueSpan.Length > 8 && reader.ValueSpan.StartsWith("Patient/"u8);
    }

    private static string? OwnerOf(string type, string id, List<(string Path, string Reference)>? references)
    {
        if (type == "Patient")
        {
            return id;
        }

        if (references is null)
        {
            return null;
        }

        var paths = PatientCompartment.PathsFor(type);
        foreach (var path in paths.Count > 0 ? paths : s_fallbackPaths)
        {
            foreach (var (found, reference) in references)
            {
                if (string.Equals(found, path, StringComparison.Ordinal))
                {
                    var owner = reference["Patient/".Length..];
                    var history = owner.IndexOf('/', StringComparison.Ordinal);
                    return history < 0 ? owner : owner[..history];
                }
            }
        }

        return null;
    }

    private static string PathOf(ReadOnlySpan<byte> json, ReadOnlySpan<(int Start, int Length)> names, int depth)
    {
        var builder = new StringBuilder(32);
        for (var d = 1; d <= depth; d++)
        {
            var (start, length) = names[d];
            if (start < 0)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.UTF8.GetString(json.Slice(start, length)));
        }

        return builder.ToString();
    }

    private static void ReadMeta(ref Utf8JsonReader reader, out string? versionId, out string? lastUpdated)
    {
        versionId = null;
        lastUpdated = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidResourceException("meta is not an object");
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("versionId"u8))
            {
                versionId = ReadString(ref reader, "meta.versionId");
            }
            else if (reader.ValueTextEquals("lastUpdated"u8))
            {
                lastUpdated = ReadString(ref reader, "meta.lastUpdated");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidResourceException($"{name} must be a string, found {reader.TokenType}");
        }

        return reader.GetString()!;
    }

    /// <summary>FHIR id: [A-Za-z0-9\-\.]{1,64}.</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
