namespace Fhirhouse.Nlp.Terminology;

/// <summary>The error for a line of a release file that does not read: the file, the line, what is wrong (never the line's text).</summary>
internal static class ReleaseFileError
{
    public static FormatException At(string kind, string name, long line, string reason) =>
        new($"{kind} {name}, line {line}: {reason}");
}
