using System.Globalization;
using System.Text;

namespace Fhirhouse.Ml.Features;

/// <summary>
/// The one SQL statement that computes a <see cref="FeatureSpec"/>'s table, point in time: every feature is an aggregate
/// over its source's rows strictly before the row's index time (and inside its window), every static feature an
/// expression over the patient's row, the label from rows strictly after the index time and at most the horizon after
/// it. A label whose horizon ends after <c>labels_known_until</c> is unknown (null), even when the event is already seen:
/// only a whole horizon tells a negative, and labelling the early positives alone would bias any recent window. Columns: <c>patient_id</c>, <c>index_time</c>, <c>index_id</c>, the features
/// in spec order, <c>label</c>, <c>label_time</c>, <c>label_due</c>.
/// </summary>
internal static class FeatureSql
{
    /// <summary>The statement; <paramref name="labelsKnownUntil"/> null means the latest time any source holds.</summary>
    public static string Build(FeatureSpec spec, DateTimeOffset? labelsKnownUntil)
    {
        var sql = new StringBuilder("WITH ");
        sql.Append("_index_rows AS (").Append(spec.IndexSql).Append("),\n");
        sql.Append("_index AS (SELECT row_number() OVER (ORDER BY patient_id, index_time, index_id) AS _row, * FROM (SELECT DISTINCT CAST(patient_id AS VARCHAR) AS patient_id, ")
            .Append(Time("index_time")).Append(" AS index_time, CAST(index_id AS VARCHAR) AS index_id FROM _index_rows) WHERE patient_id IS NOT NULL AND index_time IS NOT NULL),\n");
        for (var i = 0; i < spec.Sources.Count; i++)
        {
            var source = spec.Sources[i];
            sql.Append(SourceName(source.Name)).Append(" AS (SELECT *")
                .Append(source.Static ? "" : ", " + Time("time") + " AS _t")
                .Append(" FROM (").Append(source.Sql).Append(") WHERE patient_id IS NOT NULL),\n");
        }

        for (var i = 0; i < spec.Features.Count; i++)
        {
            sql.Append("_f").Append(i).Append(" AS (").Append(FeatureQuery(spec, spec.Features[i])).Append("),\n");
        }

        var label = spec.Label;
        var horizon = Days(label.HorizonDays);
        sql.Append("_label AS (SELECT i._row, min(s._t) FILTER (WHERE s._t > i.index_time AND s._t <= i.index_time + ").Append(horizon)
            .Append(") AS label_time, bool_or(s._t <= i.index_time) AS prior FROM _index i JOIN ").Append(SourceName(label.Source))
            .Append(" s ON s.patient_id = i.patient_id").Append(Where(label.Where)).Append(" GROUP BY i._row),\n");
        sql.Append("_known AS (SELECT ");
        if (labelsKnownUntil is { } until)
        {
            sql.Append("TIMESTAMPTZ '").Append(until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append("+00'");
        }
        else
        {
            sql.Append("greatest(").Append(string.Join(", ", spec.Sources.Where(s => !s.Static).Select(s => $"(SELECT max(_t) FROM {SourceName(s.Name)})").Append("(SELECT max(index_time) FROM _index)"))).Append(')');
        }

        sql.Append(" AS until)\n");
        sql.Append("SELECT i.patient_id, i.index_time, i.index_id");
        for (var i = 0; i < spec.Features.Count; i++)
        {
            var f = spec.Features[i];
            var column = f.Aggregate is FeatureAggregate.Count or FeatureAggregate.Exists ? $"coalesce(_f{i}.v, 0)" : $"_f{i}.v";
            sql.Append(", ").Append(f.Categorical ? $"CAST({column} AS VARCHAR)" : $"CAST({column} AS DOUBLE)").Append(" AS \"").Append(f.Name).Append('"');
        }

        sql.Append(", CASE WHEN i.index_time + ").Append(horizon).Append(" > k.until THEN NULL WHEN l.label_time IS NOT NULL THEN 1 ELSE 0 END AS label, l.label_time, i.index_time + ")
            .Append(horizon).Append(" AS label_due");
        sql.Append("\nFROM _index i CROSS JOIN _known k LEFT JOIN _label l ON l._row = i._row");
        for (var i = 0; i < spec.Features.Count; i++)
        {
            sql.Append(" LEFT JOIN _f").Append(i).Append(" ON _f").Append(i).Append("._row = i._row");
        }

        if (label.ExcludePrior)
        {
            sql.Append("\nWHERE NOT coalesce(l.prior, false)");
        }

        sql.Append("\nORDER BY i._row");
        return sql.ToString();
    }

    private static string FeatureQuery(FeatureSpec spec, FeatureDefinition f)
    {
        var source = SourceName(f.Source);
        if (f.Aggregate == FeatureAggregate.Value)
        {
            return $"SELECT i._row, any_value({f.Value}) AS v FROM _index i JOIN {source} s ON s.patient_id = i.patient_id{Where(f.Where)} GROUP BY i._row";
        }

        var value = f.Aggregate switch
        {
            FeatureAggregate.Last => $"arg_max({f.Value}, s._t)",
            FeatureAggregate.First => $"arg_min({f.Value}, s._t)",
            FeatureAggregate.Min => $"min({f.Value})",
            FeatureAggregate.Max => $"max({f.Value})",
            FeatureAggregate.Mean => $"avg({f.Value})",
            FeatureAggregate.Sum => $"sum({f.Value})",
            FeatureAggregate.Count => "count(*)",
            FeatureAggregate.Exists => "1",
            FeatureAggregate.DaysSinceLast => "date_diff('second', max(s._t), any_value(i.index_time)) / 86400.0",
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        };

        var window = f.WindowDays is { } days ? $" AND s._t >= i.index_time - {Days(days)}" : "";
        return $"SELECT i._row, {value} AS v FROM _index i JOIN {source} s ON s.patient_id = i.patient_id AND s._t < i.index_time{window}{Where(f.Where)} GROUP BY i._row";
    }

    private static string Where(string? where) => where is null ? "" : $" WHERE ({where})";

    private static string SourceName(string name) => "_s_" + name;

    private static string Days(int days) => $"INTERVAL ({days.ToString(CultureInfo.InvariantCulture)}) DAY";

    /// <summary>A FHIR dateTime (year, year-month, date or date-time with zone) or a timestamp, as a TIMESTAMPTZ (partial dates at their start).</summary>
    private static string Time(string column)
    {
        var text = $"CAST({column} AS VARCHAR)";
        return $"CASE WHEN length({text}) = 4 THEN TRY_CAST({text} || '-01-01' AS TIMESTAMPTZ) WHEN length({text}) = 7 THEN TRY_CAST({text} || '-01' AS TIMESTAMPTZ) ELSE TRY_CAST({text} AS TIMESTAMPTZ) END";
    }
}
