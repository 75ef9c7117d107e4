using System.Text;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// RFC 4180 records read line by line: fields separated by commas, a field in double quotes may hold commas, line
/// breaks and doubled quotes (""). A quote inside an unquoted field, text after a closing quote, or a quote left open at
/// the end of the file is an error naming the line where the record starts.
/// </summary>
internal sealed class CsvRecords(TextReader reader, string kind, string name)
{
    private readonly StringBuilder _field = new();
    private long _line;

    /// <summary>The line the last record read starts on (1-based).</summary>
    public long Line { get; private set; }

    /// <summary>The next record's fields, or null at the end of the file.</summary>
    public List<string>? Next()
    {
        string? text;
        do
        {
            text = reader.ReadLine();
            _line++;
            if (text is null)
            {
                return null;
            }
        }
        while (text.Length == 0);

        Line = _line;
        var fields = new List<string>();
        _field.Clear();
        var i = 0;
        var quoted = false;
        var afterQuote = false;
        while (true)
        {
            if (i == text.Length)
            {
                if (!quoted)
                {
                    fields.Add(_field.ToString());
                    return fields;
                }

                text = reader.ReadLine() ?? throw ReleaseFileError.At(kind, name, Line, "a quoted field is not closed by the end of the file.");
                _line++;
                _field.Append('\n');
                i = 0;
                continue;
            }

            var c = text[i++];
            if (quoted)
            {
                if (c != '"')
                {
                    _field.Append(c);
                }
                else if (i < text.Length && text[i] == '"')
                {
                    _field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                    afterQuote = true;
                }
            }
            else if (c == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
                afterQuote = false;
            }
            else if (afterQuote)
            {
                throw ReleaseFileError.At(kind, name, Line, $"field {fields.Count + 1} has text after its closing quote.");
            }
            else if (c == '"')
            {
                if (_field.Length > 0)
                {
                    throw ReleaseFileError.At(kind, name, Line, $"field {fields.Count + 1} has a quote inside an unquoted value.");
                }

                quoted = true;
            }
            else
            {
                _field.Append(c);
            }
        }
    }
}
