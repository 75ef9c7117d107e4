using System.Text;

namespace Fhirhouse.Query.Access;

/// <summary>
/// DuckDB's errors while a statement runs quote the values they failed on (<c>Could not convert string 'Martin' to
/// INT32</c>), which may be values of rows a filter hides or of columns before their mask. For a statement that read
/// such a table, such a message keeps its first line's words and loses every quoted text but the names of the tables
/// and columns read, and every number: echoing only what the statement itself holds would still confirm a guess written
/// into it. Errors raised before any row is read (parser, binder, catalog) tell of the statement and the schema only and
/// are kept as they are.
/// </summary>
internal static class ErrorText
{
    public const string Hidden = "…";

    private static readonly string[] s_beforeData = ["Parser Error:", "Binder Error:", "Catalog Error:"];

    public static string WithoutValues(string message, IReadOnlySet<string> names)
    {
        if (s_beforeData.Any(p => message.StartsWith(p, StringComparison.Ordinal)))
        {
            return message;
        }

        var line = message.Split('\n', 2)[0].Trim();
        var result = new StringBuilder(line.Length);
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is '\'' or '"')
            {
                var end = line.IndexOf(c, i + 1);
                end = end < 0 ? line.Length : end;
                var quoted = line[(i + 1)..end];
                result.Append(c).Append(names.Contains(quoted) ? quoted : Hidden).Append(c);
                i = end + 1;
            }
            else if (char.IsAsciiDigit(c) && (i == 0 || !(char.IsAsciiLetterOrDigit(line[i - 1]) || line[i - 1] == '_')))
            {
                var end = i + 1;
                while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] is '.' or '_'))
                {
                    end++;
                }

                result.Append(Hidden);
                i = end;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }
}
