using System.Globalization;
using System.Text;
using System.Text.Json;
using Fhirhouse.Query;
using Spectre.Console;

namespace Fhirhouse.Cli.Commands;

/// <summary>Writes a query result as a table, CSV (RFC 4180) or JSON (an array of objects).</summary>
internal static class QueryOutput
{
    public static void Write(CliContext context, QueryResult result, string format)
    {
        switch (format)
        {
            case "csv":
                WriteCsv(context.Out, result);
                break;
            case "json":
                WriteJson(context.Out, result);
                break;
            default:
                WriteTable(context, result);
                break;
        }
    }

    private static void WriteTable(CliContext context, QueryResult result)
    {
        var grid = new Table();
        foreach (var column in result.Columns)
        {
            grid.AddColumn(new TableColumn(Markup.Escape(column.Name)));
        }

        foreach (var row in result.Rows)
        {
            grid.AddRow(row.Select(v => Markup.Escape(Text(v) ?? "NULL")).ToArray());
        }

        context.Console.Write(grid);
        context.Out.WriteLine($"{result.Rows.Count} {(result.Rows.Count == 1 ? "row" : "rows")}");
    }

    private static void WriteCsv(TextWriter output, QueryResult result)
    {
        output.WriteLine(string.Join(",", result.Columns.Select(c => Csv(c.Name))));
        foreach (var row in result.Rows)
        {
            output.WriteLine(string.Join(",", row.Select(v => Csv(Text(v)))));
        }
    }

    private static void WriteJson(TextWriter output, QueryResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var row in result.Rows)
            {
                writer.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    writer.WritePropertyName(result.Columns[i].Name);
                    WriteValue(writer, row[i]);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long or int or short or sbyte or byte or ushort or uint or ulong or decimal or System.Numerics.BigInteger:
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case System.Collections.IList list when value is not string and not byte[]:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Text(value));
                break;
        }
    }

    /// <summary>A value as text: invariant numbers, ISO 8601 dates and times.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture) + "Z",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        System.Collections.IList list => "[" + string.Join(", ", list.Cast<object?>().Select(i => Text(i) ?? "NULL")) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Csv(string? text) =>
        text is null ? "" : text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
