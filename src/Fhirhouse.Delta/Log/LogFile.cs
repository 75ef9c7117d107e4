using System.Globalization;

namespace Fhirhouse.Delta.Log;

/// <summary>A recognised file of <c>_delta_log</c>: its key, kind, version and, for multi-part checkpoints, part and parts.</summary>
internal sealed record LogFile(string Key, LogFileKind Kind, long Version, int Part = 1, int Parts = 1, long Size = 0, DateTimeOffset LastModified = default)
{
    /// <summary>
    /// Recognises "00000000000000000010.json", "…10.checkpoint.parquet", "…10.checkpoint.0000000001.0000000002.parquet"
    /// and "…10.checkpoint.UUID.json|parquet"; anything else (crc, _last_checkpoint, compacted logs, temp files) is null.
    /// </summary>
    public static LogFile? TryParse(string key, long size, DateTimeOffset lastModified)
    {
        var slash = key.LastIndexOf('/');
        var name = key[(slash + 1)..];
        if (name.Length < 21 || name[20] != '.' || !long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }

        var rest = name[21..];
        if (rest == "json")
        {
            return new LogFile(key, LogFileKind.Commit, version, Size: size, LastModified: lastModified);
        }

        if (!rest.StartsWith("checkpoint.", StringComparison.Ordinal))
        {
            return null;
        }

        rest = rest["checkpoint.".Length..];
        if (rest == "parquet")
        {
            return new LogFile(key, LogFileKind.Checkpoint, version, Size: size, LastModified: lastModified);
        }

        var parts = rest.Split('.');
        if (parts.Length == 3 && parts[2] == "parquet" && parts[0].Length == 10 && parts[1].Length == 10 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var part) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return new LogFile(key, LogFileKind.MultiPartCheckpoint, version, part, count, size, lastModified);
        }

        if (parts.Length == 2 && parts[1] is "json" or "parquet" && Guid.TryParse(parts[0], out _))
        {
            return new LogFile(key, LogFileKind.V2Checkpoint, version, Size: size, LastModified: lastModified);
        }

        return null;
    }
}
