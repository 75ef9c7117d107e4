namespace Fhirhouse.Delta.Log;

/// <summary>Paths in the log are URL-encoded URIs relative to the table root (or absolute URIs).</summary>
internal static class DeltaPath
{
    /// <summary>The decoded path ("a%20b/c.parquet" -> "a b/c.parquet").</summary>
    public static string Decode(string path) => path.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(path) : path;

    /// <summary>
    /// The path that keys a file in log replay: decoded, with "file:" URIs reduced to their local path, so that
    /// "file:/a/b", "file:///a/b" and "/a/b" are one file.
    /// </summary>
    public static string Canonical(string path) =>
        path.StartsWith("file:", StringComparison.Ordinal) ? "/" + Decode(path["file:".Length..]).TrimStart('/') : Decode(path);

    /// <summary>Encodes a relative path for the log, segment by segment ('=' of partition folders kept, as Spark writes it).</summary>
    public static string Encode(string path) =>
        string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(s).Replace("%3D", "=", StringComparison.Ordinal)));

    /// <summary>
    /// The object key of a file of the table: relative paths are joined to the table path; absolute "file:" URIs
    /// are accepted only when they point inside the table (the store holds nothing else).
    /// </summary>
    public static string KeyOf(string tablePath, string path)
    {
        var decoded = Canonical(path);
        var rooted = decoded.StartsWith('/');
        if (rooted || (path.Contains(':', StringComparison.Ordinal) && Uri.TryCreate(path, UriKind.Absolute, out _)))
        {
            var absolute = decoded;
            var marker = "/" + tablePath.TrimEnd('/') + "/";
            var at = tablePath.Length == 0 ? -1 : absolute.LastIndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new DeltaProtocolException(tablePath, $"the data file '{path}' lies outside the table; this store only reaches files under the table.");
            }

            return tablePath.TrimEnd('/') + "/" + absolute[(at + marker.Length)..];
        }

        if (decoded.Split('/').Any(segment => segment is ".." or "."))
        {
            throw new DeltaProtocolException(tablePath, $"the data file '{path}' climbs out of the table; this store only reaches files under the table.");
        }

        var key = tablePath.Length == 0 ? decoded : tablePath.TrimEnd('/') + "/" + decoded;
        if (decoded.Length == 0 || decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains('\0', StringComparison.Ordinal))
        {
            throw new DeltaProtocolException(tablePath, $"the data file path '{path}' is not a relative '/'-separated path (empty, a backslash or a NUL).");
        }

        return key;
    }
}
