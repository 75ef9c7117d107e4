namespace Fhirhouse.Query.Sql;

/// <summary>Splits SQL into tokens, skipping white space and comments; strings and quoted identifiers are single tokens.</summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else if (c is '\'' or '"')
            {
                var start = i;
                i = SkipQuoted(sql, i, c);
                tokens.Add(new SqlToken(c == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier, start, i - start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Word, start, i - start));
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] is '.' or '_'))
                {
                    i++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Number, start, i - start));
            }
            else
            {
                var length = (c, At(sql, i + 1)) is ('=', '>') or (':', ':') or ('<', '=') or ('>', '=') or ('!', '=') or ('<', '>') ? 2 : 1;
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, i, length));
                i += length;
            }
        }

        return tokens;
    }

    private static char At(string sql, int index) => index < sql.Length ? sql[index] : '\0';

    private static int SkipQuoted(string sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (At(sql, i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            i++;
        }

        return i;
    }
}
