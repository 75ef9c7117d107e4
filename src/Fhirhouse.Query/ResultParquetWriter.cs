using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DuckDB.NET.Data;
using Fhirhouse.Query.Tables;

namespace Fhirhouse.Query;

/// <summary>
/// Writes rows already read (a <see cref="QueryResult"/>, or rows derived from one) to a Parquet file, through a DuckDB
/// database of its own that holds nothing but those rows: outputs of statements under a guard are written this way,
/// never by a COPY in the database the statement ran in. Column types are the result's; a list, struct or map becomes
/// its JSON text, a decimal keeps the largest scale its values have.
/// </summary>
public static class ResultParquetWriter
{
    /// <summary>Writes <paramref name="result"/> to <paramref name="path"/> (replaced if it exists).</summary>
    public static void Write(QueryResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(result.Columns.Select(c => c.Name).ToList(), result.Columns.Select(c => c.Type).ToList(), result.Rows, path);
    }

    /// <summary>Writes <paramref name="rows"/> with columns <paramref name="names"/> of DuckDB types <paramref name="types"/> (as a <see cref="QueryResult"/> names them).</summary>
    public static void Write(IReadOnlyList<string> names, IReadOnlyList<string> types, IReadOnlyList<object?[]> rows, string path)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(path);
        if (names.Count != types.Count)
        {
            throw new ArgumentException($"{names.Count} column names for {types.Count} types.", nameof(types));
        }

        var target = Path.GetFullPath(path);
        var stored = types.Select((type, i) => StoredType(type, rows, i)).ToList();
        using var database = EngineDatabase.Open(1);
        try
        {
            database.Execute($"CREATE TABLE export ({string.Join(", ", names.Select((n, i) => DuckDbTypes.Identifier(n) + " " + stored[i]))})");
            using (var appender = database.Connection.CreateAppender("export"))
            {
                foreach (var row in rows)
                {
                    var output = appender.CreateRow();
                    for (var i = 0; i < names.Count; i++)
                    {
                        Append(output, row[i], stored[i]);
                    }

                    output.EndRow();
                }
            }

            database.Execute($"COPY export TO {DuckDbTypes.Literal(target)} (FORMAT parquet)");
        }
        catch (DbException e)
        {
            throw new IOException($"{target}: the Parquet file could not be written: {e.Message}", e);
        }
    }

    private static string StoredType(string type, IReadOnlyList<object?[]> rows, int column) => type.ToUpperInvariant() switch
    {
        "LIST" or "STRUCT" or "MAP" or "UNION" or "ARRAY" or "JSON" => "VARCHAR",
        "DECIMAL" => string.Create(CultureInfo.InvariantCulture, $"DECIMAL(38,{rows.Select(r => r[column] is decimal d ? d.Scale : 0).DefaultIfEmpty(0).Max()})"),
        var other => other,
    };

    private static void Append(IDuckDBAppenderRow row, object? value, string type)
    {
        switch (value)
        {
            case null or DBNull:
                row.AppendNullValue();
                break;
            case string s:
                row.AppendValue(s);
                break;
            case bool b:
                row.AppendValue((bool?)b);
                break;
            case sbyte n:
                row.AppendValue((sbyte?)n);
                break;
            case byte n:
                row.AppendValue((byte?)n);
                break;
            case short n:
                row.AppendValue((short?)n);
                break;
            case ushort n:
                row.AppendValue((ushort?)n);
                break;
            case int n:
                row.AppendValue((int?)n);
                break;
            case uint n:
                row.AppendValue((uint?)n);
                break;
            case long n:
                row.AppendValue((long?)n);
                break;
            case ulong n:
                row.AppendValue((ulong?)n);
                break;
            case float n:
                row.AppendValue((float?)n);
                break;
            case double n:
                row.AppendValue((double?)n);
                break;
            case decimal n:
                row.AppendValue((decimal?)n);
                break;
            case BigInteger n:
                row.AppendValue((BigInteger?)n);
                break;
            case Guid g:
                row.AppendValue((Guid?)g);
                break;
            case DateOnly d:
                row.AppendValue((DateOnly?)d);
                break;
            case DateTime t when type == "TIMESTAMPTZ":
                row.AppendValue((DateTimeOffset?)new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)));
                break;
            case DateTime t:
                row.AppendValue((DateTime?)t);
                break;
            case DateTimeOffset t:
                row.AppendValue((DateTimeOffset?)t);
                break;
            case TimeSpan t:
                row.AppendValue((TimeSpan?)t);
                break;
            case TimeOnly t:
                row.AppendValue((TimeOnly?)t);
                break;
            case byte[] bytes:
                row.AppendValue(bytes);
                break;
            case Stream stream:
                using (var copy = new MemoryStream())
                {
                    stream.CopyTo(copy);
                    row.AppendValue(copy.ToArray());
                }

                break;
            default:
                row.AppendValue(JsonSerializer.Serialize(value));
                break;
        }
    }
}
