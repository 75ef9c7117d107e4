namespace Fhirhouse.Storage.Lake;

/// <summary>Where a lake lives: a local folder (<c>file:///path</c> or a plain path) or an S3 bucket and prefix (<c>s3://bucket/prefix</c>).</summary>
public sealed record LakeLocation(string Scheme, string Path, string? Bucket)
{
    /// <summary>Parses a lake URI; throws <see cref="ArgumentException"/> naming the accepted forms.</summary>
    public static LakeLocation Parse(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (uri.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = uri["s3://".Length..];
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
            return bucket.Length == 0
                ? throw new ArgumentException($"Lake URI '{uri}' names no bucket: use s3://bucket/prefix.", nameof(uri))
                : new LakeLocation("s3", prefix, bucket);
        }

        if (uri.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = new Uri(uri).LocalPath;
            return path.Length == 0 || !System.IO.Path.IsPathRooted(path)
                ? throw new ArgumentException($"Lake URI '{uri}' must hold an absolute path: file:///path/to/lake.", nameof(uri))
                : new LakeLocation("file", path, null);
        }

        if (uri.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Lake URI '{uri}' has an unsupported scheme: use file:///path, s3://bucket/prefix, or a folder path.", nameof(uri));
        }

        return new LakeLocation("file", System.IO.Path.GetFullPath(uri), null);
    }

    public override string ToString() => Scheme == "s3" ? $"s3://{Bucket}/{Path}" : $"file://{Path}";
}
