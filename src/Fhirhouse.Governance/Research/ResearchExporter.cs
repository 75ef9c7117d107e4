using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Query;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Research;

/// <summary>
/// Pseudonymised extracts for research (docs/research-exports.md): reads through a query engine over
/// <c>store</c> with the <c>options</c> given (so whatever guards those options guards the export). The SQL of an
/// export reads every table through <see cref="ResearchGuard"/>: identifiers pseudonymised, each patient's dates
/// shifted, names, addresses, contacts and (unless asked to keep it) clinical free text removed, at the source, so no
/// expression of the SQL can reach a raw value. Whole resources are pseudonymised resource by resource. Writes Parquet
/// or NDJSON.
/// </summary>
public sealed class ResearchExporter(IObjectStore store, QueryOptions options, Pseudonymizer pseudonymizer)
{
    /// <summary>
    /// Runs the export. Throws <see cref="ArgumentException"/> for bad options, <see cref="QueryException"/> for a failing
    /// query (a date column that cannot be shifted, because its table ties no row to a patient, fails it with the reason).
    /// </summary>
    public async Task<ResearchExportResult> ExportAsync(ResearchExportOptions export, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        export.Validate();
        var target = Path.GetFullPath(export.OutputPath);
        if (export.ResourceType is { } type)
        {
            using var governed = new QueryEngine(store, options);
            return await ExportResourcesAsync(governed, type, target, export.KeepText, cancellationToken).ConfigureAwait(false);
        }

        var guard = new ResearchGuard(options.Guard, pseudonymizer, export.KeepText);
        using var engine = new QueryEngine(store, options with { Guard = guard });
        var result = await engine.ExecuteAsync(export.Sql ?? $"SELECT * FROM \"{export.View}\"", cancellationToken: cancellationToken).ConfigureAwait(false);

        // A column named as one removed at the source and NULL in every row holds nothing: it is left out of the file.
        var removed = guard.Removed.Select(n => n[(n.LastIndexOf('.') + 1)..]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kept = Enumerable.Range(0, result.Columns.Count)
            .Where(i => !(removed.Contains(result.Columns[i].Name) && result.Rows.All(r => r[i] is null)))
            .ToArray();
        var names = UniqueNames(kept.Select(i => result.Columns[i].Name));
        var rows = kept.Length == result.Columns.Count ? result.Rows : result.Rows.Select(r => kept.Select(i => r[i]).ToArray()).ToList();
        if (export.Format == ResearchExportFormat.Ndjson)
        {
            await WriteNdjsonAsync(target, names, rows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            ResultParquetWriter.Write(names, kept.Select(i => result.Columns[i].Type).ToList(), rows, target);
        }

        return new ResearchExportResult(target, rows.Count, names, guard.Removed);
    }

    /// <summary>Column names made unique (a join may return two "id"): the second becomes "id_2", and so on.</summary>
    private static List<string> UniqueNames(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var name in names)
        {
            var unique = name;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = name + "_" + n.ToString(CultureInfo.InvariantCulture);
            }

            result.Add(unique);
        }

        return result;
    }

    private async Task<ResearchExportResult> ExportResourcesAsync(QueryEngine engine, string type, string target, bool keepText, CancellationToken cancellationToken)
    {
        var sql = "SELECT b.resource, b.patient_id FROM fhir_resources b JOIN fhir_current c ON b.resource_type = c.resource_type AND b.id = c.id " +
            $"AND b.raw_key = c.raw_key AND b.raw_line = c.raw_line AND b.ingested_at = c.ingested_at WHERE c.resource_type = '{type}' AND NOT c.deleted AND b.resource IS NOT NULL ORDER BY b.id";
        var result = await engine.ExecuteAsync(sql, cancellationToken: cancellationToken).ConfigureAwait(false);
        var transformer = new ResourcePseudonymizer(pseudonymizer, keepText);
        await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        foreach (var row in result.Rows)
        {
            var resource = JsonNode.Parse((string)row[0]!)!.AsObject();
            var patient = row[1] as string ?? (type == "Patient" ? (string?)resource["id"] : null);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(transformer.Transform(resource, patient));
            await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            file.WriteByte((byte)'\n');
        }

        return new ResearchExportResult(target, result.Rows.Count, [type], []);
    }

    private static async Task WriteNdjsonAsync(string target, List<string> names, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        foreach (var row in rows)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                for (var i = 0; i < names.Count; i++)
                {
                    w.WritePropertyName(names[i]);
                    WriteValue(w, row[i]);
                }

                w.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            await file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long n: w.WriteNumberValue(n); break;
            case int n: w.WriteNumberValue(n); break;
            case double n: w.WriteNumberValue(n); break;
            case decimal n: w.WriteNumberValue(n); break;
            case DateTime t: w.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: w.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateOnly d: w.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
