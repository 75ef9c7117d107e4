using System.Text.Json;
using Fhirhouse.Query.Pruning;

namespace Fhirhouse.Query.Sql;

/// <summary>
/// What the engine needs to know of a statement, read from DuckDB's own parse tree (<c>json_serialize_sql</c>) with
/// SQL's scopes: the lake tables it reads (a name is a CTE only where that CTE is in scope: in the query that defines it,
/// after its definition), how often each name appears, the simple predicates on each table that can prune its files, and
/// what a guard must refuse (file paths and other names that are not lake tables, table functions, catalog and engine
/// functions, qualified names, catalog SHOWs). Only SELECT statements (DESCRIBE, SHOW and SUMMARIZE included) parse;
/// anything else is refused before it runs.
/// </summary>
internal sealed class QueryShape
{
    private static readonly JsonDocumentOptions s_parseTree = new() { MaxDepth = 4096 };
    private readonly Dictionary<string, int> _tableCounts = new(AsciiIgnoreCase.Comparer);
    private readonly Dictionary<string, List<ColumnPredicate>> _predicates = new(AsciiIgnoreCase.Comparer);
    private readonly List<string> _tables = [];
    private readonly HashSet<string> _qualified = new(AsciiIgnoreCase.Comparer);
    private readonly List<string> _refusals = [];

    private QueryShape()
    {
    }

    /// <summary>The names the statement reads as tables where no CTE of that name is in scope, in order of first use.</summary>
    public IReadOnlyList<string> Tables => _tables;

    /// <summary>True for a name of <see cref="Tables"/> the statement wrote with its zone (<c>views.patient</c>).</summary>
    public bool IsQualified(string table) => _qualified.Contains(table);

    /// <summary>Why a guard refuses the statement, one reason per reference (empty: it reads nothing but the names in <see cref="Tables"/>).</summary>
    public IReadOnlyList<string> Refusals => _refusals;

    /// <summary>The predicates that may prune <paramref name="table"/>'s files: none unless the statement names it once.</summary>
    public IReadOnlyList<ColumnPredicate> PredicatesOn(string table) =>
        _tableCounts.TryGetValue(table, out var count) && count == 1 && _predicates.TryGetValue(table, out var list) ? list : [];

    /// <summary>Reads DuckDB's serialised parse tree; throws <see cref="QueryException"/> for a statement that is not a single SELECT.</summary>
    public static QueryShape FromParseTree(string json, string sql)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_parseTree);
        }
        catch (JsonException e)
        {
            throw new QueryException("The statement is nested too deeply to be checked.", e);
        }

        using var _ = document;
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
        shape.Walk(statements[0], null);
        return shape;
    }

    private static string FirstWord(string sql)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        return tokens.Count > 0 ? tokens[0].Text(sql).ToUpperInvariant() : "";
    }

    private void Refuse(string reason)
    {
        if (!_refusals.Contains(reason))
        {
            _refusals.Add(reason);
        }
    }

    /// <summary>
    /// Walks every node of the tree. A node with a <c>cte_map</c> is a query: its CTEs are walked in order, each seeing
    /// the scope plus the CTEs before it, and the rest of the query sees them all; a recursive CTE's body sees itself.
    /// </summary>
    private void Walk(JsonElement element, CteScope? scope)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var type = Text(element, "type");
                if (element.TryGetProperty("cte_map", out var ctes))
                {
                    scope = WalkCtes(ctes, scope);
                    if (type == "RECURSIVE_CTE_NODE" && Text(element, "cte_name") is { Length: > 0 } self)
                    {
                        scope = new CteScope(self, scope);
                    }

                    if (type == "SELECT_NODE")
                    {
                        CollectPredicates(element, scope);
                    }

                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name != "cte_map")
                        {
                            Walk(property.Value, scope);
                        }
                    }

                    return;
                }

                switch (type)
                {
                    case "BASE_TABLE":
                        Reference(element, scope);
                        return;
                    case "TABLE_FUNCTION":
                        if (element.TryGetProperty("function", out var function) && Text(function, "function_name") is { } name
                            && !(GovernedFunctions.IsAllowedTableFunction(name) && Unqualified(function)))
                        {
                            Refuse($"The table function '{name}' is refused under access control: it could read files or catalogs around the policy. Name lake tables instead ('.tables' lists them).");
                        }

                        break;
                    case "SHOW_REF" when !element.TryGetProperty("query", out var shown) || shown.ValueKind != JsonValueKind.Object:
                        Refuse("SHOW of the engine's catalog is refused under access control: '.tables' lists the lake tables, DESCRIBE TABLE shows one.");
                        break;
                }

                if (Text(element, "function_name") is { } called)
                {
                    if (!Unqualified(element))
                    {
                        Refuse($"The function '{Qualified(element, called)}' is refused under access control: call functions without a schema or catalog.");
                    }
                    else if (type != "TABLE_FUNCTION" && GovernedFunctions.RefusalOf(called) is { } refusal)
                    {
                        Refuse(refusal);
                    }
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, scope);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, scope);
                }

                break;
        }
    }

    private CteScope? WalkCtes(JsonElement ctes, CteScope? scope)
    {
        if (ctes.ValueKind != JsonValueKind.Object || !ctes.TryGetProperty("map", out var map) || map.ValueKind != JsonValueKind.Array)
        {
            return scope;
        }

        foreach (var entry in map.EnumerateArray())
        {
            if (entry.TryGetProperty("value", out var body))
            {
                Walk(body, scope);
            }

            if (Text(entry, "key") is { Length: > 0 } name)
            {
                scope = new CteScope(name, scope);
            }
        }

        return scope;
    }

    private void Reference(JsonElement table, CteScope? scope)
    {
        if (Text(table, "table_name") is not { Length: > 0 } name)
        {
            Refuse("A table reference without a name is refused under access control.");
            return;
        }

        _tableCounts[name] = _tableCounts.GetValueOrDefault(name) + 1;
        var schema = Text(table, "schema_name");
        var catalog = Text(table, "catalog_name");
        if (!string.IsNullOrEmpty(catalog) || (!string.IsNullOrEmpty(schema) && Fhirhouse.Query.Tables.CatalogTable.IsReservedZone(schema)))
        {
            Refuse($"'{string.Join('.', new[] { catalog, schema, name }.Where(p => !string.IsNullOrEmpty(p)))}' is refused under access control: name lake tables as 'table' or 'zone.table', not in DuckDB's own schemas or catalogs.");
            return;
        }

        if (table.TryGetProperty("at_clause", out var at) && at.ValueKind == JsonValueKind.Object)
        {
            Refuse($"The time travel on '{name}' is not in a form the engine reads: write '{name} AT (VERSION => 3)' or '{name} AT (TIMESTAMP => ''2026-11-28T10:00:00Z'')'.");
            return;
        }

        if (!string.IsNullOrEmpty(schema))
        {
            // A zone-qualified name is a lake table whatever CTEs are in scope (a CTE has no zone).
            var qualified = schema + "." + name;
            _qualified.Add(qualified);
            if (!_tables.Contains(qualified, AsciiIgnoreCase.Comparer))
            {
                _tables.Add(qualified);
            }

            return;
        }

        if (CteScope.Contains(scope, name))
        {
            return;
        }

        if (!_tables.Contains(name, AsciiIgnoreCase.Comparer))
        {
            _tables.Add(name);
        }
    }

    /// <summary>True for a function named without a schema or catalog, or in DuckDB's own <c>main</c> (its parser writes <c>[a, b]</c> as <c>main.list_value</c>).</summary>
    private static bool Unqualified(JsonElement function) =>
        Text(function, "schema") is null or "" or "main" && string.IsNullOrEmpty(Text(function, "catalog"));

    private static string Qualified(JsonElement function, string name) =>
        string.Join('.', new[] { Text(function, "catalog"), Text(function, "schema"), name }.Where(p => !string.IsNullOrEmpty(p)));

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private void CollectPredicates(JsonElement node, CteScope? scope)
    {
        if (!node.TryGetProperty("from_table", out var from) || from.ValueKind != JsonValueKind.Object
            || !node.TryGetProperty("where_clause", out var where) || where.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var tables = new List<(string Name, string Alias)>();
        var onlyTables = CollectFromTables(from, tables, scope);
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
                table = tables.FirstOrDefault(x => AsciiIgnoreCase.Comparer.Equals(x.Alias, names[0])).Name;
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

    /// <summary>The lake tables joined in a FROM clause; false when it also holds CTEs, subqueries or table functions.</summary>
    private static bool CollectFromTables(JsonElement from, List<(string Name, string Alias)> tables, CteScope? scope)
    {
        var type = from.GetProperty("type").GetString();
        switch (type)
        {
            case "BASE_TABLE":
                var name = from.GetProperty("table_name").GetString() ?? "";
                if (CteScope.Contains(scope, name))
                {
                    return false;
                }

                var alias = from.TryGetProperty("alias", out var a) && a.GetString() is { Length: > 0 } s ? s : name;
                tables.Add((name, alias));
                return true;
            case "JOIN":
                var left = CollectFromTables(from.GetProperty("left"), tables, scope);
                var right = CollectFromTables(from.GetProperty("right"), tables, scope);
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
