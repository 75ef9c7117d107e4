using System.Globalization;
using Fhirhouse.Query;

namespace Fhirhouse.Ml.Features;

/// <summary>Reads a feature table's rows through the query engine (the guard and the audit log see the read), at a version.</summary>
public static class FeatureRows
{
    /// <summary>
    /// The rows of <paramref name="spec"/>'s table at <paramref name="version"/> (null: the latest) whose index time is in
    /// [<paramref name="from"/>, <paramref name="to"/>), in key order, with the version read.
    /// </summary>
    public static async Task<(IReadOnlyList<FeatureRow> Rows, long Version)> ReadAsync(
        QueryEngine engine, FeatureSpec spec, long? version = null, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(spec);
        var columns = string.Join(", ", FeatureTable.KeyColumns.Concat(spec.Features.Select(f => f.Name)).Append("label").Select(c => $"\"{c}\""));
        var at = version is { } v ? $" AT (VERSION => {v.ToString(CultureInfo.InvariantCulture)})" : "";
        var where = new List<string>();
        if (from is { } f)
        {
            where.Add($"index_time >= {Literal(f)}");
        }

        if (to is { } t)
        {
            where.Add($"index_time < {Literal(t)}");
        }

        var sql = $"SELECT {columns} FROM {spec.TableName}{at}{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY patient_id, index_time, index_id";
        var result = await engine.ExecuteAsync(sql, cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = new List<FeatureRow>(result.Rows.Count);
        var n = spec.Features.Count;
        foreach (var r in result.Rows)
        {
            var values = new object?[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = spec.Features[i].Categorical ? r[3 + i] as string : r[3 + i] is null ? double.NaN : Convert.ToDouble(r[3 + i], CultureInfo.InvariantCulture);
            }

            var time = r[1] switch
            {
                DateTimeOffset d => d.ToUniversalTime(),
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                _ => throw new InvalidOperationException("index_time is not a timestamp."),
            };
            rows.Add(new FeatureRow((string)r[0]!, time, r[2] as string, values, r[3 + n] is null ? null : Convert.ToInt32(r[3 + n], CultureInfo.InvariantCulture)));
        }

        var path = FeatureTable.Definition(spec).Path;
        return (rows, result.Tables.First(s => string.Equals(s.Path, path, StringComparison.Ordinal)).Version);
    }

    private static string Literal(DateTimeOffset time) =>
        $"TIMESTAMPTZ '{time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'";
}
