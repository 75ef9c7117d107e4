using System.Text;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// The SELECT a lake table becomes in DuckDB: one <c>read_parquet</c> per group of files sharing partition values and
/// columns, joined by UNION ALL, each projecting the table schema in order: the file's column, the partition value as
/// a typed constant, or a typed NULL where the file lacks the column (written before the column was added).
/// </summary>
internal static class TableViewSql
{
    /// <summary>A data file as DuckDB reads it: its plaintext path, its partition values by column name (as the log gives them), its columns.</summary>
    public sealed record DataFile(string Path, IReadOnlyDictionary<string, string?> PartitionValues, IReadOnlySet<string> Columns);

    public static string Build(Snapshot snapshot, IReadOnlyList<DataFile> files)
    {
        var schema = snapshot.Schema;
        var mode = snapshot.Metadata.ColumnMapping;
        var partitions = new HashSet<string>(snapshot.PartitionColumns, StringComparer.OrdinalIgnoreCase);
        if (files.Count == 0)
        {
            return "SELECT " + string.Join(", ", schema.Fields.Select(f => $"CAST(NULL AS {DuckDbTypes.Of(f.Type)}) AS {DuckDbTypes.Identifier(f.Name)}")) + " WHERE false";
        }

        var partitionKeys = schema.Fields.Where(f => partitions.Contains(f.Name)).Select(f => f.Name).ToList();
        var groups = files.GroupBy(f => GroupKey(f, partitionKeys), StringComparer.Ordinal);
        var sql = new StringBuilder();
        foreach (var group in groups)
        {
            var first = group.First();
            if (sql.Length > 0)
            {
                sql.Append("\nUNION ALL\n");
            }

            sql.Append("SELECT ");
            for (var i = 0; i < schema.Fields.Count; i++)
            {
                var field = schema.Fields[i];
                var physical = field.PhysicalName(mode);
                if (i > 0)
                {
                    sql.Append(", ");
                }

                if (partitions.Contains(field.Name))
                {
                    var value = first.PartitionValues.TryGetValue(field.Name, out var v) ? v : null;
                    sql.Append(value is null ? "NULL" : DuckDbTypes.Literal(value)).Append("::").Append(DuckDbTypes.Of(field.Type));
                }
                else if (first.Columns.Contains(physical))
                {
                    sql.Append(DuckDbTypes.Identifier(physical));
                }
                else
                {
                    sql.Append("NULL::").Append(DuckDbTypes.Of(field.Type));
                }

                sql.Append(" AS ").Append(DuckDbTypes.Identifier(field.Name));
            }

            sql.Append(" FROM read_parquet([")
                .AppendJoin(", ", group.Select(f => DuckDbTypes.Literal(f.Path)))
                .Append("], hive_partitioning = false, union_by_name = false)");
        }

        return sql.ToString();
    }

    private static string GroupKey(DataFile file, IReadOnlyList<string> partitionColumns)
    {
        var key = new StringBuilder();
        foreach (var column in partitionColumns)
        {
            key.Append(file.PartitionValues.TryGetValue(column, out var v) ? v is null ? "\u0002" : v : "\u0003").Append('\u0001');
        }

        key.Append('\u0000').AppendJoin('\u0001', file.Columns.Order(StringComparer.Ordinal));
        return key.ToString();
    }
}
