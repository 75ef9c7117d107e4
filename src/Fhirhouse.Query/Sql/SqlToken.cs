namespace Fhirhouse.Query.Sql;

/// <summary>A token of SQL text: where it is and what kind it is (comments and white space are not tokens).</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length)
{
    public int End => Start + Length;

    public string Text(string sql) => sql.Substring(Start, Length);

    public bool IsWord(string sql, string word) =>
        Kind == SqlTokenKind.Word && Length == word.Length && string.Compare(sql, Start, word, 0, Length, StringComparison.OrdinalIgnoreCase) == 0;

    public bool IsSymbol(string sql, string symbol) =>
        Kind == SqlTokenKind.Symbol && Length == symbol.Length && string.CompareOrdinal(sql, Start, symbol, 0, Length) == 0;
}
