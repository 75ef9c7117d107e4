using System.Text;

namespace Fhirhouse.Query.Sql;

/// <summary>
/// Rewrites the time-travel clause <c>TABLE AT (VERSION =&gt; 3)</c> or <c>TABLE AT (TIMESTAMP =&gt; '2026-11-28T10:00:00Z')</c>
/// into a reference to the quoted view <c>"TABLE@v3"</c>, which the engine registers over that snapshot, before DuckDB sees the SQL.
/// </summary>
internal static class TimeTravelRewriter
{
    public static (string Sql, IReadOnlyList<TimeTravelReference> References) Rewrite(string sql)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        var references = new List<TimeTravelReference>();
        var output = new StringBuilder(sql.Length + 16);
        var copied = 0;
        for (var i = 0; i + 6 < tokens.Count; i++)
        {
            var name = tokens[i];
            if (name.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
                || !tokens[i + 1].IsWord(sql, "AT") || !tokens[i + 2].IsSymbol(sql, "("))
            {
                continue;
            }

            var kind = tokens[i + 3];
            var isVersion = kind.IsWord(sql, "VERSION");
            if (!(isVersion || kind.IsWord(sql, "TIMESTAMP")) || !tokens[i + 4].IsSymbol(sql, "=>"))
            {
                throw new QueryException($"Time travel at offset {tokens[i + 1].Start}: write '{name.Text(sql)} AT (VERSION => 3)' or '{name.Text(sql)} AT (TIMESTAMP => ''2026-11-28T10:00:00Z'')'.");
            }

            var value = tokens[i + 5];
            if (!tokens[i + 6].IsSymbol(sql, ")") || value.Kind is not (SqlTokenKind.Number or SqlTokenKind.String))
            {
                throw new QueryException($"Time travel at offset {tokens[i + 1].Start}: the {kind.Text(sql).ToUpperInvariant()} must be a literal followed by ')'.");
            }

            var literal = value.Kind == SqlTokenKind.String ? Unquote(value.Text(sql), '\'') : value.Text(sql);
            AsOf asOf;
            try
            {
                asOf = AsOf.Parse(literal);
            }
            catch (ArgumentException e)
            {
                throw new QueryException($"Time travel at offset {tokens[i + 1].Start}: {e.Message}", e);
            }

            if (isVersion != (asOf.Version is not null))
            {
                throw new QueryException($"Time travel at offset {tokens[i + 1].Start}: {kind.Text(sql).ToUpperInvariant()} => {value.Text(sql)} does not hold a {(isVersion ? "version number" : "timestamp")}.");
            }

            var table = Identifier(name, sql);
            var start = name.Start;
            if (i >= 2 && tokens[i - 1].IsSymbol(sql, ".") && tokens[i - 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier
                && start >= copied && (i < 3 || !tokens[i - 3].IsSymbol(sql, ".")))
            {
                // zone.table AT (...): the zone goes with the name.
                table = Identifier(tokens[i - 2], sql) + "." + table;
                start = tokens[i - 2].Start;
            }

            var reference = new TimeTravelReference(table, asOf);
            references.Add(reference);
            output.Append(sql, copied, start - copied).Append('"').Append(reference.SqlName.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            copied = tokens[i + 6].End;
            i += 6;
        }

        output.Append(sql, copied, sql.Length - copied);
        return (output.ToString(), references);
    }

    private static string Identifier(SqlToken token, string sql) =>
        token.Kind == SqlTokenKind.QuotedIdentifier ? Unquote(token.Text(sql), '"') : token.Text(sql);

    private static string Unquote(string text, char quote) =>
        text.Length >= 2 ? text[1..^1].Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal) : text;
}
