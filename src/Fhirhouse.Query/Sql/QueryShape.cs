using System.Text.Json;
using Fhirhouse.Query.Pruning;

namespace Fhirhouse.Query.Sql;

/// <summary>
/// What the engine needs to know of a statement, read from DuckDB's own parse tree (<c>json_serialize_sql</c>): the
/// tables it names, how often, and the simple predicates on each table that can prune its files. Only SELECT statements
/// (DESCRIBE, SHOW and SUMMARIZE included) parse; anything else is refused before it runs.
/// </summary>
internal sealed class QueryShape
{
    private readonly Dictionary<string, int> _tableCounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<ColumnPredicate>> _predicates = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ctes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _tableFunctions = [];
    private readonly HashSet<string> _functions = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _qualified = [];

    private QueryShape()
    {
    }

    /// <summary>The table names the statement reads (BASE_TABLE references), CTE names included.</summary>
    public IEnumerable<string> Tables => _tableCounts.Keys;

    /// <summary>The names the statement's WITH clauses define.</summary>
    public IReadOnlySet<string> CteNames => _ctes;

    /// <summary>The table functions the statement calls (<c>read_parquet</c>, <c>range</c>...), as written.</summary>
    public IReadOnlyList<string> TableFunctions => _tableFunctions;

    /// <summary>The scalar, aggregate and table functions the statement calls, by name.</summary>
    public IReadOnlySet<string> Functions => _functions;

    /// <summary>Table references qualified with a schema or catalog (<c>information_schema.tables</c>), as written.</summary>
    public IReadOnlyList<string> QualifiedTables => _qualified;

    /// <summary>The predicates that may prune <paramref name="table"/>'s files: none unless the statement names it once.</summary>
    public IReadOnlyList<ColumnPredicate> PredicatesOn(string table) =>
        _tableCounts.TryGetValue(table, out var count) && count == 1 && _predicates.TryGetValue(table, out var list) ? list : [];

    /// <summary>Reads DuckDB's serialised parse tree; throws <see cref="QueryException"/> for a statement that is not a single SELECT.</summary>
    public static QueryShape FromParseTree(string json, string sql)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() ?? "" : "";
            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() ?? "" : "";
            if (string.Equals(type, "not implemented", StringComparison.Ordinal) || message.Contains("Only SELECT", StringComparison.Ordinal))
            {
                throw new QueryException(
                    $"Only read-only queries run here (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE); '{FirstWord(sql)}' was refused. " +
                    "Lake tables change only through ingestion and 'fhirhouse views refresh'.");
            }

            throw new QueryException($"SQL error: {message}");
        }

        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1)
        {
            throw new QueryException($"One statement at a time: this text holds {statements.GetArrayLength()}.");
        }

        var shape = new QueryShape();
        shape.Walk(statements[0]);
        return shape;
    }

    private static string FirstWord(string sql)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        return tokens.Count > 0 ? tokens[0].Text(sql).ToUpperInvariant() : "";
    }

    private void Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var type = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (type is "BASE_TABLE" or "SHOW_REF" && element.TryGetProperty("table_name", out var name) && name.GetString() is { Length: > 0 } table)
                {
                    _tableCounts[table] = _tableCounts.GetValueOrDefault(table) + 1;
                    var schema = element.TryGetProperty("schema_name", out var s) ? s.GetString() : null;
                    var catalog = element.TryGetProperty("catalog_name", out var c) ? c.GetString() : null;
                    if (!string.IsNullOrEmpty(schema) || !string.IsNullOrEmpty(catalog))
                    {
                        _qualified.Add(string.Join('.', new[] { catalog, schema, table }.Where(p => !string.IsNullOrEmpty(p))));
                    }
                }
                else if (type == "TABLE_FUNCTION" && element.TryGetProperty("function", out var function)
                    && function.ValueKind == JsonValueKind.Object && function.TryGetProperty("function_name", out var functionName))
                {
                    _tableFunctions.Add(functionName.GetString() ?? "");
                }
                else if (type == "SELECT_NODE")
                {
                    CollectPredicates(element);
                }

                if (element.TryGetProperty("class", out var kind) && kind.ValueKind == JsonValueKind.String
                    && element.TryGetProperty("function_name", out var called) && called.ValueKind == JsonValueKind.String)
                {
                    _functions.Add(called.GetString() ?? "");
                }

                if (element.TryGetProperty("cte_map", out var ctes) && ctes.ValueKind == JsonValueKind.Object
                    && ctes.TryGetProperty("map", out var map) && map.ValueKind == JsonValueKind.Array)
                {
                    foreach (var entry in map.EnumerateArray())
                    {
                        if (entry.TryGetProperty("key", out var key) && key.GetString() is { } cte)
                        {
                            _ctes.Add(cte);
                        }
                    }
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }

                break;
        }
    }

    private void CollectPredicates(JsonElement node)
    {
        if (!node.TryGetProperty("from_table", out var from) || from.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("where_clause", out var where) || where.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var tables = new List<(string Name, string Alias)>();
        var onlyTables = CollectFromTables(from, tables);
        var conjuncts = new List<JsonElement>();
        Flatten(where, conjuncts);
        foreach (var conjunct in conjuncts)
        {
            if (Predicate(conjunct) is not var (names, op, values))
            {
                continue;
            }

            string? table = null;
            if (names.Count == 2)
            {
                table = tables.FirstOrDefault(x => string.Equals(x.Alias, names[0], StringComparison.OrdinalIgnoreCase)).Name;
            }
            else if (names.Count == 1 && onlyTables && tables.Count == 1)
            {
                table = tables[0].Name;
            }

            if (table is null)
            {
                continue;
            }

            if (!_predicates.TryGetValue(table, out var list))
            {
                _predicates[table] = list = [];
            }

            list.Add(new ColumnPredicate(names[^1], op, values));
        }
    }

    /// <summary>The base tables joined in a FROM clause; false when it also holds subqueries or table functions.</summary>
    private static bool CollectFromTables(JsonElement from, List<(string Name, string Alias)> tables)
    {
        var type = from.GetProperty("type").GetString();
        switch (type)
        {
            case "BASE_TABLE":
                var name = from.GetProperty("table_name").GetString() ?? "";
                var alias = from.TryGetProperty("alias", out var a) && a.GetString() is { Length: > 0 } s ? s : name;
                tables.Add((name, alias));
                return true;
            case "JOIN":
                var left = CollectFromTables(from.GetProperty("left"), tables);
                var right = CollectFromTables(from.GetProperty("right"), tables);
                return left && right;
            default:
                return false;
        }
    }

    private static void Flatten(JsonElement expression, List<JsonElement> conjuncts)
    {
        if (expression.TryGetProperty("type", out var type) && type.GetString() == "CONJUNCTION_AND")
        {
            foreach (var child in expression.GetProperty("children").EnumerateArray())
            {
                Flatten(child, conjuncts);
            }

            return;
        }

        conjuncts.Add(expression);
    }

    private static (IReadOnlyList<string> Column, ComparisonOperator Op, IReadOnlyList<object> Values)? Predicate(JsonElement expression)
    {
        var type = expression.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "COMPARE_IN")
        {
            var children = expression.GetProperty("children").EnumerateArray().ToList();
            if (children.Count < 2 || ColumnNames(children[0]) is not { } column)
            {
                return null;
            }

            var values = new List<object>();
            foreach (var child in children.Skip(1))
            {
                if (Constant(child) is not { } value)
                {
                    return null;
                }

                values.Add(value);
            }

            return (column, ComparisonOperator.In, values);
        }

        ComparisonOperator? op = type switch
        {
            "COMPARE_EQUAL" => ComparisonOperator.Equal,
            "COMPARE_LESSTHAN" => ComparisonOperator.Less,
            "COMPARE_LESSTHANOREQUALTO" => ComparisonOperator.LessOrEqual,
            "COMPARE_GREATERTHAN" => ComparisonOperator.Greater,
            "COMPARE_GREATERTHANOREQUALTO" => ComparisonOperator.GreaterOrEqual,
            _ => null,
        };
        if (op is not { } comparison || !expression.TryGetProperty("left", out var left) || !expression.TryGetProperty("right", out var right))
        {
            return null;
        }

        if (ColumnNames(left) is { } leftColumn && Constant(right) is { } rightValue)
        {
            return (leftColumn, comparison, [rightValue]);
        }

        if (ColumnNames(right) is { } rightColumn && Constant(left) is { } leftValue)
        {
            var flipped = comparison switch
            {
                ComparisonOperator.Less => ComparisonOperator.Greater,
                ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
                ComparisonOperator.Greater => ComparisonOperator.Less,
                ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
                _ => comparison,
            };
            return (rightColumn, flipped, [leftValue]);
        }

        return null;
    }

    private static List<string>? ColumnNames(JsonElement expression) =>
        expression.TryGetProperty("class", out var c) && c.GetString() == "COLUMN_REF"
            ? expression.GetProperty("column_names").EnumerateArray().Select(n => n.GetString() ?? "").ToList()
            : null;

    private static object? Constant(JsonElement expression)
    {
        if (!expression.TryGetProperty("class", out var c) || c.GetString() != "CONSTANT")
        {
            return null;
        }

        var value = expression.GetProperty("value");
        if (value.TryGetProperty("is_null", out var isNull) && isNull.ValueKind == JsonValueKind.True || !value.TryGetProperty("value", out var v))
        {
            return null;
        }

        var type = value.GetProperty("type");
        var typeId = type.GetProperty("id").GetString();
        if (typeId == "DECIMAL")
        {
            return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var unscaled)
                && type.TryGetProperty("type_info", out var info) && info.ValueKind == JsonValueKind.Object
                && info.TryGetProperty("scale", out var scale) && scale.TryGetInt32(out var digits) && digits is >= 0 and <= 28
                ? unscaled / Pow10(digits)
                : null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number when typeId is "DOUBLE" or "FLOAT" => v.GetDouble(),
            JsonValueKind.Number when typeId is "INTEGER" or "BIGINT" or "SMALLINT" or "TINYINT" or "UINTEGER" or "USMALLINT" or "UTINYINT" or "UBIGINT"
                && v.TryGetDecimal(out var d) => d,
            JsonValueKind.String when typeId == "VARCHAR" => v.GetString(),
            _ => null,
        };
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10;
        }

        return result;
    }
}
