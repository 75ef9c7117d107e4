using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Fhirhouse.Storage.S3;

/// <summary>
/// Objects in an S3 bucket under a key prefix. Put-if-absent is an S3 conditional write (<c>If-None-Match: *</c>), atomic
/// on S3 itself; large objects are uploaded in parts; reads are ranged GETs. With <see cref="S3ObjectStoreOptions.SseKmsKeyId"/>
/// every put requests SSE-KMS and every read verifies it.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _root;
    private readonly S3ObjectStoreOptions _options;

    /// <summary>A store over <paramref name="bucket"/>; every key is stored under <paramref name="prefix"/> ("" for the bucket root).</summary>
    public S3ObjectStore(IAmazonS3 client, string bucket, string prefix = "", S3ObjectStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        _client = client;
        _bucket = bucket;
        _root = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
        _options = options ?? new S3ObjectStoreOptions();
        if (_options.PartSize < 5 * 1024 * 1024 || _options.MultipartThreshold < _options.PartSize)
        {
            throw new ArgumentException(
                $"S3 parts are at least 5 MiB and the multipart threshold at least one part: got PartSize {_options.PartSize}, MultipartThreshold {_options.MultipartThreshold}.",
                nameof(options));
        }
    }

    /// <summary>The bucket.</summary>
    public string Bucket => _bucket;

    /// <summary>The key prefix of this store in the bucket ("" or ending with '/').</summary>
    public string Prefix => _root;

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var found = new List<ObjectInfo>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _root + prefix, MaxKeys = _options.ListPageSize };
        do
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var o in response.S3Objects ?? [])
            {
                if (o.Key.EndsWith('/'))
                {
                    // A "folder" marker some S3 tools create: not an object of this store.
                    continue;
                }

                found.Add(new ObjectInfo(o.Key[_root.Length..], o.Size ?? 0, new DateTimeOffset(o.LastModified ?? default, TimeSpan.Zero)));
            }

            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        found.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var info in found)
        {
            yield return info;
        }
    }

    public async Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var metadata = await HeadAsync(key, cancellationToken).ConfigureAwait(false);
        return metadata is null
            ? null
            : new ObjectInfo(key, metadata.ContentLength, new DateTimeOffset(metadata.LastModified ?? default, TimeSpan.Zero));
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var metadata = await HeadAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(key);
        VerifySse(key, metadata.ServerSideEncryptionMethod, metadata.ServerSideEncryptionKeyManagementServiceKeyId);
        return new S3RangeStream(this, key, metadata.ContentLength, _options.ReadAheadBytes);
    }

    public async Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (destination.Length == 0)
        {
            return 0;
        }

        var request = new GetObjectRequest
        {
            BucketName = _bucket,
            Key = FullKey(key),
            ByteRange = new ByteRange(offset, offset + destination.Length - 1),
        };
        try
        {
            using var response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            VerifySse(key, response.ServerSideEncryptionMethod, response.ServerSideEncryptionKeyManagementServiceKeyId);
            return await response.ResponseStream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return 0;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(key, e);
        }
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        await WriteAsync(key, content, ifAbsent: false, cancellationToken).ConfigureAwait(false);

    public Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        WriteAsync(key, content, ifAbsent: true, cancellationToken);

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await _client.DeleteObjectAsync(_bucket, FullKey(key), cancellationToken).ConfigureAwait(false);

    private string FullKey(string key)
    {
        ObjectKey.Validate(key);
        return _root + key;
    }

    private void VerifySse(string key, ServerSideEncryptionMethod? method, string? kmsKeyId)
    {
        if (_options.SseKmsKeyId is null)
        {
            return;
        }

        if (method != ServerSideEncryptionMethod.AWSKMS)
        {
            throw new IOException(
                $"Object '{key}' in s3://{_bucket}/{_root} is not SSE-KMS encrypted (server-side encryption '{method?.Value ?? "none"}'), but this lake requires SSE-KMS.");
        }

        if (kmsKeyId is not null && !kmsKeyId.EndsWith(_options.SseKmsKeyId, StringComparison.Ordinal) && !_options.SseKmsKeyId.StartsWith("alias/", StringComparison.Ordinal))
        {
            throw new IOException($"Object '{key}' is SSE-KMS encrypted under '{kmsKeyId}', not the lake's key '{_options.SseKmsKeyId}'.");
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(_bucket, FullKey(key), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<bool> WriteAsync(string key, Stream content, bool ifAbsent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var fullKey = FullKey(key);
        var head = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (head.Length <= _options.MultipartThreshold)
        {
            var n = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            head.Write(chunk, 0, n);
        }

        var more = head.Length > _options.MultipartThreshold;
        try
        {
            if (!more)
            {
                using var body = new MemoryStream(head.GetBuffer(), 0, (int)head.Length, writable: false);
                var put = new PutObjectRequest { BucketName = _bucket, Key = fullKey, InputStream = body, UseChunkEncoding = false, AutoCloseStream = false };
                if (ifAbsent)
                {
                    put.IfNoneMatch = "*";
                }

                if (_options.SseKmsKeyId is { } kmsKey)
                {
                    put.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
                    put.ServerSideEncryptionKeyManagementServiceKeyId = kmsKey;
                }

                await _client.PutObjectAsync(put, cancellationToken).ConfigureAwait(false);
                return true;
            }

            return await UploadInPartsAsync(fullKey, head, content, ifAbsent, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (ifAbsent && e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    private async Task<bool> UploadInPartsAsync(string fullKey, MemoryStream pending, Stream content, bool ifAbsent, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = fullKey };
        if (_options.SseKmsKeyId is { } kmsKey)
        {
            initiate.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            initiate.ServerSideEncryptionKeyManagementServiceKeyId = kmsKey;
        }

        var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var buffer = new byte[_options.PartSize];
            var ended = false;
            while (!ended || pending.Length > 0)
            {
                while (!ended && pending.Length < _options.PartSize)
                {
                    var n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        ended = true;
                    }
                    else
                    {
                        pending.Write(buffer, 0, n);
                    }
                }

                var data = pending.GetBuffer();
                var take = (int)(ended && pending.Length < 2L * _options.PartSize ? pending.Length : Math.Min(pending.Length, _options.PartSize));
                using (var part = new MemoryStream(data, 0, take, writable: false))
                {
                    var response = await _client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = fullKey,
                        UploadId = upload.UploadId,
                        PartNumber = parts.Count + 1,
                        InputStream = part,
                        PartSize = take,
                        UseChunkEncoding = false,
                    }, cancellationToken).ConfigureAwait(false);
                    parts.Add(new PartETag(parts.Count + 1, response.ETag));
                }

                var rest = new MemoryStream();
                rest.Write(data, take, (int)pending.Length - take);
                pending = rest;
            }

            var complete = new CompleteMultipartUploadRequest { BucketName = _bucket, Key = fullKey, UploadId = upload.UploadId, PartETags = parts };
            if (ifAbsent)
            {
                complete.IfNoneMatch = "*";
            }

            await _client.CompleteMultipartUploadAsync(complete, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = fullKey, UploadId = upload.UploadId },
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
