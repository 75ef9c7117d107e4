using Fhirhouse.Query.Access;

namespace Fhirhouse.Query.Sql;

/// <summary>
/// Which functions a statement under a guard may call. Table functions: only those that read no data
/// (<c>range</c>, <c>generate_series</c>, <c>unnest</c>); every other one reads files, catalogs or runs SQL text
/// (<c>read_parquet</c>, <c>glob</c>, <c>query_table</c>, <c>json_execute_serialized_sql</c>, <c>duckdb_views</c>...).
/// Scalar and aggregate functions: all of DuckDB's but those that tell of the engine, its settings, its catalog or the
/// session (<c>current_setting</c>, <c>current_query</c>, <c>pg_get_viewdef</c>, <c>duckdb_*</c>, <c>pg_*</c>...) and the
/// engine's own <c>fhirhouse_</c> functions. A function named with a schema or catalog (<c>pg_catalog.x</c>) is refused too.
/// </summary>
internal static class GovernedFunctions
{
    private static readonly HashSet<string> s_tableFunctions = new(["range", "generate_series", "unnest"], AsciiIgnoreCase.Comparer);

    private static readonly HashSet<string> s_refused = new(
    [
        "current_setting", "current_database", "current_catalog", "current_schema", "current_schemas", "current_query", "current_query_id",
        "current_connection_id", "current_transaction_id", "current_role", "current_user", "session_user", "user", "in_search_path",
        "txid_current", "nextval", "currval", "version", "getenv", "col_description", "obj_description", "shobj_description",
        "format_type", "format_pg_type", "map_to_pg_oid", "inet_client_addr", "inet_client_port", "inet_server_addr", "inet_server_port",
        "has_any_column_privilege", "has_column_privilege", "has_database_privilege", "has_foreign_data_wrapper_privilege",
        "has_function_privilege", "has_language_privilege", "has_schema_privilege", "has_sequence_privilege", "has_server_privilege",
        "has_table_privilege", "has_tablespace_privilege", "which_secret", "sql_auto_complete", "json_execute_serialized_sql",
    ], AsciiIgnoreCase.Comparer);

    private static readonly string[] s_refusedPrefixes = ["duckdb_", "pg_", "pragma_", "read_", "parquet_"];

    public static bool IsAllowedTableFunction(string name) => s_tableFunctions.Contains(name);

    /// <summary>Why a call of the scalar or aggregate function <paramref name="name"/> is refused, or null when it is allowed.</summary>
    public static string? RefusalOf(string name)
    {
        if (name.StartsWith(GuardedViewSql.ReservedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"The function '{name}' is reserved to the engine.";
        }

        foreach (var prefix in s_refusedPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return $"The function '{name}' is refused under access control: it tells of the engine, its files or its catalog, not of lake tables.";
            }
        }

        return s_refused.Contains(name)
            ? $"The function '{name}' is refused under access control: it tells of the engine, its settings or the session, not of lake tables."
            : null;
    }
}
