using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Nlp.Sources;

/// <summary>
/// Finds the free text of a FHIR R4 resource that the annotator reads:
/// <list type="bullet">
/// <item>DocumentReference: <c>content[i].attachment</c> of text/plain or text/html (base64 <c>data</c>);</item>
/// <item>DiagnosticReport: <c>presentedForm[i]</c> (same attachments) and <c>conclusion</c>;</item>
/// <item>MedicationRequest: <c>dosageInstruction[i].text</c>, <c>dosageInstruction[i].patientInstruction</c> and <c>note[i].text</c>;</item>
/// <item>Communication: <c>payload[i].contentString</c> and <c>payload[i].contentAttachment</c> of text/plain or text/html.</item>
/// </list>
/// An attachment is decoded in the charset its content type names (UTF-8 when none; ISO-8859-1 and windows-1252 too).
/// What holds text the annotator cannot read (a PDF, an attachment by <c>url</c> only, base64 that does not decode) is
/// listed in <see cref="SourceReading.Unread"/> with the reason, so that nothing is skipped without a word.
/// </summary>
public static class SourceTexts
{
    /// <summary>The resource types that hold text the annotator reads.</summary>
    public static IReadOnlySet<string> ResourceTypes { get; } = new HashSet<string>(["DocumentReference", "DiagnosticReport", "MedicationRequest", "Communication"], StringComparer.Ordinal);

    /// <summary>The texts of <paramref name="resource"/>, or null when it is not of a type that holds any.</summary>
    public static SourceReading? Read(JsonElement resource)
    {
        if (resource.ValueKind != JsonValueKind.Object
            || !resource.TryGetProperty("resourceType", out var typeElement) || typeElement.GetString() is not { } type
            || !ResourceTypes.Contains(type)
            || !resource.TryGetProperty("id", out var idElement) || idElement.GetString() is not { Length: > 0 } id)
        {
            return null;
        }

        var language = String(resource, "language");
        var texts = new List<SourceText>();
        var unread = new List<string>();
        switch (type)
        {
            case "DocumentReference":
                ForEach(resource, "content", (content, i) =>
                {
                    if (content.TryGetProperty("attachment", out var attachment))
                    {
                        Attachment(attachment, $"content[{i}].attachment", language, texts, unread);
                    }
                });
                break;
            case "DiagnosticReport":
                ForEach(resource, "presentedForm", (form, i) => Attachment(form, $"presentedForm[{i}]", language, texts, unread));
                Plain(String(resource, "conclusion"), "conclusion", language, texts);
                break;
            case "MedicationRequest":
                ForEach(resource, "dosageInstruction", (dosage, i) =>
                {
                    Plain(String(dosage, "text"), $"dosageInstruction[{i}].text", language, texts);
                    Plain(String(dosage, "patientInstruction"), $"dosageInstruction[{i}].patientInstruction", language, texts);
                });
                ForEach(resource, "note", (note, i) => Plain(String(note, "text"), $"note[{i}].text", language, texts));
                break;
            default:
                ForEach(resource, "payload", (payload, i) =>
                {
                    Plain(String(payload, "contentString"), $"payload[{i}].contentString", language, texts);
                    if (payload.TryGetProperty("contentAttachment", out var attachment))
                    {
                        Attachment(attachment, $"payload[{i}].contentAttachment", language, texts, unread);
                    }
                });
                break;
        }

        var (written, writtenText) = Written(resource, type);
        var document = new SourceDocument(
            type,
            id,
            Reference(resource, "subject"),
            type == "DocumentReference" ? FirstReference(resource, "context", "encounter") : Reference(resource, "encounter"),
            written,
            writtenText,
            resource.TryGetProperty("meta", out var meta) ? String(meta, "lastUpdated") : null,
            texts);
        return new SourceReading(document, unread);
    }

    private static void Attachment(JsonElement attachment, string path, string? language, List<SourceText> texts, List<string> unread)
    {
        if (attachment.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var contentType = String(attachment, "contentType") ?? string.Empty;
        var media = contentType.Split(';')[0].Trim().ToLowerInvariant();
        var data = String(attachment, "data");
        if (data is null)
        {
            if (String(attachment, "url") is not null)
            {
                unread.Add($"{path}: an attachment by url only (its content is not fetched)");
            }

            return;
        }

        if (media is not ("text/plain" or "text/html" or "text/markdown" or ""))
        {
            unread.Add($"{path}: content type {media} is not text");
            return;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            unread.Add($"{path}: data is not valid base64");
            return;
        }

        if (Decode(bytes, contentType) is not { } decoded)
        {
            unread.Add($"{path}: data is not valid in the charset of '{contentType}'");
            return;
        }

        var html = media == "text/html";
        var text = html ? HtmlText.ToText(decoded) : decoded;
        if (!string.IsNullOrWhiteSpace(text))
        {
            texts.Add(new SourceText(path, text, String(attachment, "language") ?? language, html));
        }
    }

    private static string? Decode(byte[] bytes, string contentType)
    {
        var charset = contentType.Split(';').Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase))?[8..].Trim('"', ' ').ToLowerInvariant();
        switch (charset)
        {
            case null or "utf-8" or "utf8" or "us-ascii":
                try
                {
                    var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                    return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }

            case "iso-8859-1" or "latin1" or "iso-8859-15" or "windows-1252" or "cp1252":
                // Windows-1252 differs from Latin-1 only in 0x80-0x9F, which clinical text rarely holds; read as Latin-1.
                return Encoding.Latin1.GetString(bytes);
            default:
                return null;
        }
    }

    private static void Plain(string? text, string path, string? language, List<SourceText> texts)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            texts.Add(new SourceText(path, text, language));
        }
    }

    private static (DateTimeOffset? At, string? Text) Written(JsonElement resource, string type)
    {
        var written = type switch
        {
            "DocumentReference" => String(resource, "date"),
            "DiagnosticReport" => String(resource, "issued") ?? String(resource, "effectiveDateTime"),
            "MedicationRequest" => String(resource, "authoredOn"),
            _ => String(resource, "sent"),
        };
        if (written is null)
        {
            return (null, null);
        }

        // A FHIR dateTime may be only a year or a year and month.
        var padded = written.Length switch
        {
            4 => written + "-01-01",
            7 => written + "-01",
            _ => written,
        };
        return DateTimeOffset.TryParse(padded, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? (at, written) : (null, written);
    }

    private static void ForEach(JsonElement parent, string name, Action<JsonElement, int> visit)
    {
        if (parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    visit(item, i);
                }

                i++;
            }
        }
    }

    private static string? Reference(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var reference) && reference.ValueKind == JsonValueKind.Object ? String(reference, "reference") : null;

    private static string? FirstReference(JsonElement parent, string name, string inner) =>
        parent.TryGetProperty(name, out var context) && context.ValueKind == JsonValueKind.Object
        && context.TryGetProperty(inner, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? Reference(list, 0)
            : null;

    private static string? Reference(JsonElement list, int index) =>
        list[index].ValueKind == JsonValueKind.Object ? String(list[index], "reference") : null;

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A resource's texts, and what in it holds text that could not be read, each with its path and the reason.</summary>
public sealed record SourceReading(SourceDocument Document, IReadOnlyList<string> Unread);
