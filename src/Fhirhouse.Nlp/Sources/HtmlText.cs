using System.Net;
using System.Text;

namespace Fhirhouse.Nlp.Sources;

/// <summary>
/// The text of an HTML document, for annotation: tags removed, the content of <c>script</c>, <c>style</c> and
/// <c>head</c> dropped, comments dropped, character references decoded, and a line break where a block ends (<c>p</c>,
/// <c>br</c>, <c>div</c>, <c>li</c>, headings, table rows...) so that sentences and section headings stay apart. Runs of
/// blank space inside a line become one space. Mention offsets are offsets into this text.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> s_blocks = new(
        ["p", "br", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote", "pre", "dt", "dd", "hr", "title", "body"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_dropped = new(["script", "style", "head"], StringComparer.OrdinalIgnoreCase);

    public static string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder(html.Length);
        var run = new StringBuilder();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                run.Append(c);
                i++;
                continue;
            }

            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            var close = html.IndexOf('>', i + 1);
            if (close < 0)
            {
                run.Append(html, i, html.Length - i);
                break;
            }

            var (name, closing) = TagName(html, i + 1, close);
            if (name.Length == 0)
            {
                // "a < b" or "<!DOCTYPE": not an element to keep as text unless it cannot be a tag.
                if (i + 1 < html.Length && (char.IsWhiteSpace(html[i + 1]) || char.IsDigit(html[i + 1]) || html[i + 1] == '='))
                {
                    run.Append(c);
                    i++;
                    continue;
                }

                i = close + 1;
                continue;
            }

            Flush(text, run);
            if (!closing && s_dropped.Contains(name))
            {
                var end = html.IndexOf("</" + name, close + 1, StringComparison.OrdinalIgnoreCase);
                var endClose = end < 0 ? -1 : html.IndexOf('>', end);
                i = endClose < 0 ? html.Length : endClose + 1;
                continue;
            }

            if (s_blocks.Contains(name) && text.Length > 0 && text[^1] != '\n')
            {
                if (text[^1] == ' ')
                {
                    text.Length--;
                }

                text.Append('\n');
            }

            i = close + 1;
        }

        Flush(text, run);
        return text.ToString().Trim();
    }

    private static (string Name, bool Closing) TagName(string html, int from, int close)
    {
        var closing = from < close && html[from] == '/';
        var start = closing ? from + 1 : from;
        var end = start;
        while (end < close && (char.IsAsciiLetterOrDigit(html[end]) || html[end] is '-' or ':'))
        {
            end++;
        }

        return end == start || !char.IsAsciiLetter(html[start]) ? (string.Empty, closing) : (html[start..end], closing);
    }

    private static void Flush(StringBuilder text, StringBuilder run)
    {
        if (run.Length == 0)
        {
            return;
        }

        var decoded = WebUtility.HtmlDecode(run.ToString());
        run.Clear();
        var space = text.Length > 0 && text[^1] is ' ' or '\n';
        foreach (var ch in decoded)
        {
            if (ch is '\n' or '\r' or '\t' or ' ' or '\u00A0')
            {
                if (!space)
                {
                    text.Append(' ');
                    space = true;
                }
            }
            else
            {
                text.Append(ch);
                space = false;
            }
        }
    }
}
