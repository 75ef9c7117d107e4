using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Fhirhouse.Query;

namespace Fhirhouse.Governance.Research;

/// <summary>
/// Pseudonymised extracts for research (docs/research-exports.md): reads through the query engine (so whatever guards
/// that engine guards the export), pseudonymises identifiers and references, shifts each patient's dates, removes
/// names, addresses and contacts and, unless asked to keep it, clinical free text; writes Parquet or NDJSON.
/// </summary>
public sealed class ResearchExporter(QueryEngine engine, Pseudonymizer pseudonymizer)
{
    /// <summary>
    /// Runs the export. Throws <see cref="ArgumentException"/> for bad options or a result whose rows cannot be tied to a
    /// patient while it holds dates (they could not be shifted), <see cref="QueryException"/> for a failing query.
    /// </summary>
    public async Task<ResearchExportResult> ExportAsync(ResearchExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var target = Path.GetFullPath(options.OutputPath);
        if (options.ResourceType is { } type)
        {
            return await ExportResourcesAsync(type, target, options.KeepText, cancellationToken).ConfigureAwait(false);
        }

        var result = await engine.ExecuteAsync(options.Sql ?? $"SELECT * FROM \"{options.View}\"", cancellationToken: cancellationToken).ConfigureAwait(false);
        var treatments = result.Columns.Select(c => ResearchColumns.Of(c.Name, options.KeepText)).ToArray();
        var kept = Enumerable.Range(0, result.Columns.Count).Where(i => treatments[i] != ColumnTreatment.Remove).ToArray();
        var patientOf = PatientOf(result, options.View);
        var rows = new List<object?[]>(result.Rows.Count);
        foreach (var row in result.Rows)
        {
            var patient = patientOf?.Invoke(row);
            var days = patient is null ? (int?)null : pseudonymizer.ShiftDays(patient);
            var output = new object?[kept.Length];
            for (var j = 0; j < kept.Length; j++)
            {
                var i = kept[j];
                var value = row[i];
                output[j] = treatments[i] == ColumnTreatment.Pseudonymise
                    ? value is null ? null : pseudonymizer.PseudonymOfReference(Convert.ToString(value, CultureInfo.InvariantCulture)!)
                    : value is string s && Pseudonymizer.IsReference(s) ? pseudonymizer.PseudonymOfReference(s)
                    : days is { } d ? Pseudonymizer.ShiftValue(value, d)
                    : value;
            }

            if (patientOf is null && output.Any(v => v is DateTime or DateTimeOffset or DateOnly || (v is string s && Pseudonymizer.ShiftFhirDate(s, 0) is not null)))
            {
                throw new ArgumentException("The export holds dates but no column ties its rows to a patient (patient_id, patient, subject_id, subject, _resource_key, or id with resource_type), so the dates cannot be shifted: select one, or leave the dates out.");
            }

            rows.Add(output);
        }

        var names = UniqueNames(kept.Select(i => result.Columns[i].Name));
        var types = kept.Select(i => treatments[i] == ColumnTreatment.Pseudonymise ? "VARCHAR" : result.Columns[i].Type).ToList();
        if (options.Format == ResearchExportFormat.Ndjson)
        {
            await WriteNdjsonAsync(target, names, rows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            WriteParquet(target, names, types, rows);
        }

        return new ResearchExportResult(target, rows.Count, names,
            Enumerable.Range(0, result.Columns.Count).Where(i => treatments[i] == ColumnTreatment.Remove).Select(i => result.Columns[i].Name).ToList());
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

    /// <summary>The patient id of a row, from the first patient column, else a Patient key or id; null when the result has none.</summary>
    private static Func<object?[], string?>? PatientOf(QueryResult result, string? view)
    {
        int Index(string name) => result.Columns.ToList().FindIndex(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        var patientColumns = ResearchColumns.PatientColumns.Select(Index).Where(i => i >= 0).ToArray();
        int key = Index("_resource_key"), id = Index("id"), type = Index("resource_type");
        var patientView = string.Equals(view, "patient", StringComparison.Ordinal);
        if (patientColumns.Length == 0 && key < 0 && !(id >= 0 && (type >= 0 || patientView)))
        {
            return null;
        }

        return row =>
        {
            foreach (var column in patientColumns)
            {
                if (row[column] is string value)
                {
                    return value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;
                }
            }

            if (key >= 0 && row[key] is string k && k.StartsWith("Patient/", StringComparison.Ordinal))
            {
                return k["Patient/".Length..];
            }

            return id >= 0 && (patientView || (type >= 0 && row[type] as string == "Patient")) ? row[id] as string : null;
        };
    }

    private async Task<ResearchExportResult> ExportResourcesAsync(string type, string target, bool keepText, CancellationToken cancellationToken)
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

    private static async Task WriteNdjsonAsync(string target, List<string> names, List<object?[]> rows, CancellationToken cancellationToken)
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

    /// <summary>Writes the rows through an in-memory DuckDB table (the result's own column types) and COPY ... (FORMAT parquet).</summary>
    private static void WriteParquet(string target, List<string> names, List<string> types, List<object?[]> rows)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        try
        {
            Execute(connection, $"CREATE TABLE export ({string.Join(", ", names.Select((n, i) => Quote(n) + " " + types[i]))})");
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = $"INSERT INTO export VALUES ({string.Join(", ", names.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture)))})";
                var parameters = names.Select(_ => new DuckDBParameter()).ToArray();
                insert.Parameters.AddRange(parameters);
                foreach (var row in rows)
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        parameters[i].Value = row[i] is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : row[i] ?? DBNull.Value;
                    }

                    insert.ExecuteNonQuery();
                }
            }

            Execute(connection, $"COPY export TO '{target.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)");
        }
        catch (DbException e)
        {
            throw new IOException($"{target}: the Parquet file could not be written: {e.Message}", e);
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
