using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Governance.Audit;

/// <summary>
/// Audit rows as FHIR R4 AuditEvent resources, one JSON object per line (NDJSON): type DICOM 110112 "Query", action
/// E, recorded, outcome (0 ok, 4 denied, 8 error) with its reason, the purpose of use, the agent (user and role), the
/// entry point as observer detail, and one entity per table read plus one holding the query text (base64).
/// </summary>
public static class AuditEventWriter
{
    public const string RoleSystem = "urn:fhirhouse:role";

    public const string PurposeSystem = "urn:fhirhouse:purpose-of-use";

    public const string EntryPointSystem = "urn:fhirhouse:entry-point";

    /// <summary>Writes every record as one line; returns how many.</summary>
    public static async Task<int> WriteNdjsonAsync(IEnumerable<AuditRecord> records, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        var count = 0;
        foreach (var record in records)
        {
            await output.WriteAsync(ToJson(record), cancellationToken).ConfigureAwait(false);
            output.WriteByte((byte)'\n');
            count++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>One AuditEvent resource as UTF-8 JSON.</summary>
    public static byte[] ToJson(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var e = record.Entry;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("resourceType", "AuditEvent");
            json.WriteString("id", record.EventId);
            json.WriteStartObject("type");
            json.WriteString("system", "http://dicom.nema.org/resources/ontology/DCM");
            json.WriteString("code", "110112");
            json.WriteString("display", "Query");
            json.WriteEndObject();
            json.WriteStartArray("subtype");
            Coding(json, EntryPointSystem, e.EntryPoint);
            json.WriteEndArray();
            json.WriteString("action", "E");
            json.WriteString("recorded", record.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("outcome", e.Outcome switch { AuditOutcomes.Ok => "0", AuditOutcomes.Denied => "4", _ => "8" });
            if (e.Reason is { Length: > 0 } reason)
            {
                json.WriteString("outcomeDesc", reason);
            }

            json.WriteStartArray("purposeOfEvent");
            json.WriteStartObject();
            json.WriteStartArray("coding");
            Coding(json, PurposeSystem, e.Purpose);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("agent");
            json.WriteStartObject();
            json.WriteStartObject("type");
            json.WriteStartArray("coding");
            Coding(json, RoleSystem, e.Role);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("who");
            json.WriteStartObject("identifier");
            json.WriteString("value", e.User);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteBoolean("requestor", true);
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartObject("source");
            json.WriteStartObject("observer");
            json.WriteString("display", "fhirhouse " + e.EntryPoint);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartArray("entity");
            foreach (var table in e.Tables)
            {
                json.WriteStartObject();
                json.WriteStartObject("type");
                json.WriteString("system", "http://terminology.hl7.org/CodeSystem/audit-entity-type");
                json.WriteString("code", "2");
                json.WriteString("display", "System Object");
                json.WriteEndObject();
                json.WriteString("name", table);
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteStartObject("what");
            json.WriteString("display", "result");
            json.WriteEndObject();
            if (e.Query is { } query)
            {
                json.WriteString("query", Convert.ToBase64String(Encoding.UTF8.GetBytes(query)));
            }

            json.WriteStartArray("detail");
            json.WriteStartObject();
            json.WriteString("type", "rows");
            json.WriteString("valueString", e.Rows.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Coding(Utf8JsonWriter json, string system, string code)
    {
        json.WriteStartObject();
        json.WriteString("system", system);
        json.WriteString("code", code);
        json.WriteEndObject();
    }
}
