using System.Text;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// Reads the terms of a terminology release file, as a stream: the file is read line by line, never whole (a SNOMED CT
/// description file holds its active descriptions of the language until its end; see docs/nlp-terminology.md). A line
/// that does not read is a <see cref="FormatException"/> naming the file and line. Build a lexicon with
/// <see cref="Lexicon.ConceptLexicon.Build"/>, or write one with <see cref="Lexicon.LexiconFile.Write"/>.
/// </summary>
public static class TerminologyImport
{
    private const int WindowsWesternEurope = 1252;

    /// <summary>
    /// The terms of the file at <paramref name="path"/>, opened in the format's encoding (<see cref="TerminologyOptions.Encoding"/>).
    /// The options are checked at once; the file is opened when the terms are first enumerated and closed at their end.
    /// </summary>
    public static IEnumerable<TerminologyTerm> Read(TerminologyFormat format, string path, TerminologyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= TerminologyOptions.Default;
        Check(format, options);
        return FromFile(format, path, options);
    }

    /// <summary>The terms of the text <paramref name="reader"/> gives; <paramref name="name"/> names it in errors.</summary>
    public static IEnumerable<TerminologyTerm> Read(TerminologyFormat format, TextReader reader, string name, TerminologyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(name);
        options ??= TerminologyOptions.Default;
        var language = Check(format, options);
        return format switch
        {
            TerminologyFormat.Icd10CmOrder => Icd10CmOrderFile.Read(reader, name, options),
            TerminologyFormat.SnomedDescriptions => SnomedDescriptionFile.Read(reader, name, language, options),
            TerminologyFormat.UmlsConcepts => UmlsConceptFile.Read(reader, name, language, options),
            TerminologyFormat.LoincTable => LoincTable.Read(reader, name, options),
            TerminologyFormat.AtihCim10 => AtihCim10File.Read(reader, name, options),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>The format a release file's name says (icd10cm_order_2025.txt, sct2_Description_..., MRCONSO.RRF, Loinc.csv, LIBCIM10MULTI.TXT), or null.</summary>
    public static TerminologyFormat? Guess(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = Path.GetFileName(path);
        return file switch
        {
            _ when file.StartsWith("icd10cm_order_", StringComparison.OrdinalIgnoreCase) => TerminologyFormat.Icd10CmOrder,
            _ when file.StartsWith("sct2_Description_", StringComparison.OrdinalIgnoreCase) => TerminologyFormat.SnomedDescriptions,
            _ when file.Equals("MRCONSO.RRF", StringComparison.OrdinalIgnoreCase) => TerminologyFormat.UmlsConcepts,
            _ when file.Equals("Loinc.csv", StringComparison.OrdinalIgnoreCase) => TerminologyFormat.LoincTable,
            _ when file.StartsWith("LIBCIM10", StringComparison.OrdinalIgnoreCase) => TerminologyFormat.AtihCim10,
            _ => null,
        };
    }

    /// <summary>Windows-1252, which ATIH files are written in (Latin-1 with œ, € and typographic quotes).</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(WindowsWesternEurope)
        ?? throw new InvalidOperationException("The Windows-1252 encoding is not available.");

    private static Assertion.Language Check(TerminologyFormat format, TerminologyOptions options)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, $"Unknown format; accepted: {string.Join(", ", Enum.GetNames<TerminologyFormat>())}.");
        }

        return options.LanguageFor(format);
    }

    private static IEnumerable<TerminologyTerm> FromFile(TerminologyFormat format, string path, TerminologyOptions options)
    {
        var encoding = options.Encoding ?? (format == TerminologyFormat.AtihCim10 && !IsUtf8(path) ? Windows1252 : Encoding.UTF8);
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        foreach (var term in Read(format, reader, Path.GetFileName(path), options))
        {
            yield return term;
        }
    }

    /// <summary>Whether the whole file decodes as UTF-8 (an ATIH file is a few megabytes).</summary>
    private static bool IsUtf8(string path)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        using var reader = new StreamReader(path, strict, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[1 << 14];
        try
        {
            while (reader.Read(buffer, 0, buffer.Length) > 0)
            {
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
