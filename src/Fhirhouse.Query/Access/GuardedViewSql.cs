using System.Text;
using Fhirhouse.Query.Tables;

namespace Fhirhouse.Query.Access;

/// <summary>
/// Wraps a table's view in the projection and filter its <see cref="TableAccess"/> asks for:
/// <c>SELECT &lt;masked columns&gt; FROM (&lt;view&gt;) WHERE &lt;filter&gt;</c>, the filter seeing the raw columns.
/// </summary>
internal static class GuardedViewSql
{
    /// <summary>The DuckDB scalar function behind <see cref="ColumnMaskKind.Hash"/>; user SQL may not call it.</summary>
    public const string HashFunction = "fhirhouse_mask_hash";

    /// <summary>Names the engine reserves: queries under a guard may not call functions starting with it.</summary>
    public const string ReservedPrefix = "fhirhouse_";

    public static string Build(string table, string view, IReadOnlyList<QueryColumn> columns, TableAccess access)
    {
        if (access.Masks.Count == 0 && access.RowFilter is null)
        {
            return view;
        }

        var sql = new StringBuilder("SELECT ");
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var name = DuckDbTypes.Identifier(column.Name);
            if (i > 0)
            {
                sql.Append(", ");
            }

            sql.Append(access.Masks.TryGetValue(column.Name, out var mask) ? Masked(table, column, name, mask) : name).Append(" AS ").Append(name);
        }

        sql.Append(" FROM (\n").Append(view).Append("\n) AS raw");
        if (access.RowFilter is { } filter)
        {
            sql.Append("\nWHERE (").Append(filter).Append(')');
        }

        return sql.ToString();
    }

    private static string Masked(string table, QueryColumn column, string name, ColumnMask mask) => mask.Kind switch
    {
        ColumnMaskKind.Expression => mask.Template!.Replace(ColumnMask.ValuePlaceholder, mask.Inner is { } inner ? Masked(table, column, name, inner) : name, StringComparison.Ordinal),
        ColumnMaskKind.Hash => $"{HashFunction}(CAST({name} AS VARCHAR))",
        ColumnMaskKind.Redact => $"CAST(NULL AS {column.Type})",
        ColumnMaskKind.Truncate => $"left(CAST({name} AS VARCHAR), {mask.Length})",
        ColumnMaskKind.Year => column.Type switch
        {
            "DATE" => $"CAST(date_trunc('year', {name}) AS DATE)",
            "TIMESTAMP" or "TIMESTAMPTZ" => $"CAST(date_trunc('year', {name}) AS {column.Type})",
            "VARCHAR" => $"left({name}, 4)",
            _ => throw new QueryException($"Table '{table}': the year mask applies to dates, timestamps and text dates, not to column '{column.Name}' of type {column.Type}."),
        },
        _ => throw new QueryException($"Table '{table}': unknown mask {mask.Kind} on column '{column.Name}'."),
    };
}
