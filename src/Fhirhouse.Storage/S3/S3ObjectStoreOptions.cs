namespace Fhirhouse.Storage.S3;

/// <summary>How an <see cref="S3ObjectStore"/> writes: part sizes for multipart uploads and optional SSE-KMS.</summary>
public sealed record S3ObjectStoreOptions
{
    /// <summary>Objects larger than this are uploaded in parts; default 16 MiB.</summary>
    public int MultipartThreshold { get; init; } = 16 * 1024 * 1024;

    /// <summary>Size of each uploaded part (S3's minimum is 5 MiB, except the last part); default 8 MiB.</summary>
    public int PartSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// When set, every put asks S3 for SSE-KMS under this KMS key (id, ARN or alias) and every read checks that the
    /// object is SSE-KMS encrypted (the lake's "sse-kms" mode).
    /// </summary>
    public string? SseKmsKeyId { get; init; }

    /// <summary>Bytes fetched by each ranged GET of a read stream, at least; default 256 KiB.</summary>
    public int ReadAheadBytes { get; init; } = 256 * 1024;

    /// <summary>Keys asked for per listing page (S3 returns at most 1,000); default 1,000.</summary>
    public int ListPageSize { get; init; } = 1000;
}
