using System.Collections.Concurrent;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Fhir.Bundles;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Quarantine;
using Fhirhouse.Lake.Raw;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Landing;

/// <summary>
/// Lands payloads: keeps each one in the raw zone, reads it back from there, and writes one bronze row per resource
/// version and one quarantine row per refused item, in chunks committed exactly once (Delta <c>txn</c>, application id
/// = table + payload hash, version = chunk number), then records the payload in the manifest. Running it again on the
/// same payload, after a crash at any point, completes what is missing and adds nothing twice.
/// </summary>
public sealed class PayloadIngestor
{
    private static readonly HashSet<string> s_expandedBundles = new(["transaction", "batch", "collection", "searchset", "history", "transaction-response", "batch-response"], StringComparer.Ordinal);
    private readonly IngestOptions _options;
    private readonly ConcurrentBag<BronzeChunk> _chunks = [];

    private PayloadIngestor(RawZone raw, BronzeTable bronze, QuarantineTable quarantine, RawManifestTable manifest, IngestOptions options)
    {
        Raw = raw;
        Bronze = bronze;
        Quarantine = quarantine;
        Manifest = manifest;
        _options = options;
    }

    /// <summary>How payloads are landed.</summary>
    public IngestOptions Options => _options;

    public RawZone Raw { get; }

    public BronzeTable Bronze { get; }

    public QuarantineTable Quarantine { get; }

    public RawManifestTable Manifest { get; }

    /// <summary>Opens (and on first use creates) the raw zone and the ingestion tables of the lake.</summary>
    public static async Task<PayloadIngestor> OpenAsync(IObjectStore lake, IngestOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var tableOptions = options.TableOptions;
        return new PayloadIngestor(
            new RawZone(lake),
            await BronzeTable.OpenAsync(lake, tableOptions, cancellationToken).ConfigureAwait(false),
            await QuarantineTable.OpenAsync(lake, tableOptions, cancellationToken).ConfigureAwait(false),
            await RawManifestTable.OpenAsync(lake, tableOptions, cancellationToken).ConfigureAwait(false),
            options);
    }

    /// <summary>Lands one payload already stored in the raw zone.</summary>
    public async Task<PayloadResult> IngestAsync(RawPayload payload, PayloadFormat format, string source, string location, string mediaType, CancellationToken cancellationToken = default)
    {
        if (await Manifest.IsRecordedAsync(ManifestApp(payload), cancellationToken).ConfigureAwait(false))
        {
            return new PayloadResult(location, payload.Key, AlreadyIngested: true, 0, 0, 0);
        }

        using var batch = new Batch(this, payload, source, location, _options.Time.GetUtcNow(), stream: null, 0, 0);
        return await LandAsync(batch, format, mediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lands an NDJSON payload cut from an ordered stream, exactly once by stream position (<see cref="StreamBatch"/>):
    /// the lines whose positions bronze or quarantine already recorded for <see cref="StreamBatch.AppId"/> are skipped,
    /// and bronze records the position of the last line even when nothing new was added, so that
    /// <see cref="GetStreamPositionAsync"/> says where to resume. A concurrent writer of the same application id
    /// fails this commit with <see cref="Delta.CommitConflictException"/>.
    /// </summary>
    public async Task<PayloadResult> IngestAsync(RawPayload payload, StreamBatch stream, string source, string location, string mediaType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bronze = await Bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var quarantine = await Quarantine.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        using var batch = new Batch(
            this, payload, source, location, _options.Time.GetUtcNow(), stream,
            bronze.GetTransactionVersion(stream.AppId) ?? long.MinValue, quarantine.GetTransactionVersion(stream.AppId) ?? long.MinValue);
        return await LandAsync(batch, PayloadFormat.Ndjson, mediaType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last stream position bronze recorded for a stream application id (null: none yet): resume after it.</summary>
    public async Task<long?> GetStreamPositionAsync(string appId, CancellationToken cancellationToken = default)
    {
        var snapshot = await Bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return snapshot.GetTransactionVersion(appId);
    }

    private static string ManifestApp(RawPayload payload) => "manifest:" + payload.Sha256;

    private async Task<PayloadResult> LandAsync(Batch batch, PayloadFormat format, string mediaType, CancellationToken cancellationToken)
    {
        var payload = batch.Payload;
        try
        {
            await ReadAsync(batch, format, cancellationToken).ConfigureAwait(false);
            await batch.FlushAsync(last: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await batch.DrainAsync().ConfigureAwait(false);
        }

        await Manifest.AppendAsync(
            new ManifestRow(payload.Key, payload.Sha256, batch.Source, batch.Location, mediaType, payload.Size, batch.ReceivedAt, "ingested", batch.Resources, batch.Quarantined),
            new AppTransaction(ManifestApp(payload), 1),
            cancellationToken).ConfigureAwait(false);
        return new PayloadResult(batch.Location, payload.Key, AlreadyIngested: false, batch.Resources, batch.Deleted, batch.Quarantined);
    }

    private async Task ReadAsync(Batch batch, PayloadFormat format, CancellationToken cancellationToken)
    {
        await using (var stream = await NdjsonReader.DecompressedAsync(await Raw.OpenAsync(batch.Payload.Key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
        {
            if (format == PayloadFormat.Ndjson)
            {
                using var block = new LineBlock();
                await foreach (var line in NdjsonReader.ReadAsync(stream, _options.MaxLineBytes, passOversizedLines: true, cancellationToken).ConfigureAwait(false))
                {
                    if (line.IsOversized)
                    {
                        block.AddRefused(line.LineNumber, $"the line is {line.OversizedLength} bytes, over the limit of {_options.MaxLineBytes} bytes (the raw payload keeps it)");
                    }
                    else
                    {
                        block.Add(line.LineNumber, line.Json.Span);
                    }

                    if (block.IsFull)
                    {
                        await batch.AddAsync(block, cancellationToken).ConfigureAwait(false);
                    }
                }

                await batch.AddAsync(block, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                batch.Add(1, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), entry: null);
            }
        }
    }

    /// <summary>
    /// The rows of one payload awaiting their commit, and what keys their txn: the chunk number (by content), or the
    /// stream position of the chunk's last line (by position, skipping the lines a table already recorded). A full
    /// chunk is written and committed in the background while the next one fills; commits stay in chunk order (one
    /// in flight at a time).
    /// </summary>
    private sealed class Batch(
        PayloadIngestor owner, RawPayload payload, string source, string location, DateTimeOffset receivedAt,
        StreamBatch? stream, long bronzeRecorded, long quarantineRecorded) : IDisposable
    {
        private readonly List<QuarantineRow> _quarantine = [];
        private BronzeChunk _rows = owner._chunks.TryTake(out var chunk) ? chunk : new();
        private BronzeChunk _spare = owner._chunks.TryTake(out var chunk) ? chunk : new();
        private Task _inFlight = Task.CompletedTask;
        private int _chunk;
        private long _lastLine;

        public RawPayload Payload => payload;

        public string Source => source;

        public string Location => location;

        public DateTimeOffset ReceivedAt => receivedAt;

        public long Resources { get; private set; }

        public long Deleted { get; private set; }

        public long Quarantined { get; private set; }

        private bool CheckStructure => owner._options.Validation != ValidationLevel.None;

        /// <summary>Lands a block of lines: scanned in parallel, then added in line order, flushing full chunks.</summary>
        public async Task AddAsync(LineBlock block, CancellationToken cancellationToken)
        {
            await block.ScanAsync(CheckStructure, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < block.Count; i++)
            {
                Add(block.LineNumber(i), block.Json(i), entry: null, block.Scan(i), block.Hash(i));
                await FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
            }

            block.Clear();
        }

        public void Add(long line, ReadOnlySpan<byte> json, int? entry) =>
            Add(line, json, entry, ScannedLine.Of(json, topLevel: entry is null, CheckStructure), sha256: default);

        private void Add(long line, ReadOnlySpan<byte> json, int? entry, in ScannedLine scan, ReadOnlySpan<byte> sha256)
        {
            _lastLine = line;
            var options = owner._options;
            if (scan.IsBundle && TryExpand(line, json))
            {
                return;
            }

            if (scan.Header is not { } header)
            {
                Refuse(line, entry, scan.Error!, null, null);
                return;
            }

            if (options.Validation == ValidationLevel.Full && options.FullValidator!.Validate(json) is { } error)
            {
                Refuse(line, entry, error, header.ResourceType, header.Id);
                return;
            }

            if (Recorded(line, bronzeRecorded))
            {
                return;
            }

            _rows.AddResource(header, json, sha256, source, payload.Key, line, receivedAt);
            Resources++;
        }

        private bool TryExpand(long line, ReadOnlySpan<byte> json)
        {
            BundleContent bundle;
            try
            {
                bundle = BundleReader.Read(json);
            }
            catch (InvalidResourceException e)
            {
                Refuse(line, null, e.Reason, "Bundle", null);
                return true;
            }

            if (!s_expandedBundles.Contains(bundle.Type))
            {
                return false;
            }

            foreach (var e in bundle.Entries)
            {
                if (e.Error is { } error)
                {
                    Refuse(line, e.Index, error, null, null);
                }
                else if (e.IsDelete)
                {
                    var slash = e.Key!.IndexOf('/', StringComparison.Ordinal);
                    if (slash <= 0 || slash == e.Key.Length - 1)
                    {
                        Refuse(line, e.Index, $"DELETE of '{e.Key}' does not name Type/id", null, null);
                        continue;
                    }

                    if (Recorded(line, bronzeRecorded))
                    {
                        continue;
                    }

                    _rows.AddDeletion(e.Key[..slash], e.Key[(slash + 1)..], e.LastModified ?? bundle.Timestamp ?? receivedAt, source, payload.Key, line, receivedAt);
                    Resources++;
                    Deleted++;
                }
                else
                {
                    Add(line, e.Resource, e.Index);
                }
            }

            return true;
        }

        /// <summary>True when the line comes from a stream position the table already recorded.</summary>
        private bool Recorded(long line, long recorded) => stream is not null && stream.Positions[(int)line - 1] <= recorded;

        private void Refuse(long line, int? entry, string reason, string? resourceType, string? id)
        {
            if (Recorded(line, quarantineRecorded))
            {
                return;
            }

            var at = stream is null ? $"{location}, line {line}" : stream.Locate(stream.Positions[(int)line - 1]);
            var where = entry is null ? at : $"{at}, entry {entry}";
            _quarantine.Add(new QuarantineRow(source, payload.Key, line, where, reason, resourceType, id, receivedAt));
            Quarantined++;
        }

        public Task FlushIfFullAsync(CancellationToken cancellationToken) =>
            _rows.Count + _quarantine.Count >= owner._options.ChunkSize ? FlushAsync(last: false, cancellationToken) : Task.CompletedTask;

        /// <summary>
        /// Hands the chunk to the background for its commit, after the previous chunk's commit is done: quarantine
        /// first, then bronze, whose txn marks the chunk done (by position, bronze is committed at the end of a stream
        /// payload even when empty, so that it records where to resume). The last flush waits for its commit.
        /// </summary>
        public async Task FlushAsync(bool last, CancellationToken cancellationToken)
        {
            _chunk++;
            var version = stream is null ? _chunk : (_lastLine > 0 ? stream.Positions[(int)_lastLine - 1] : long.MinValue);
            var appId = stream?.AppId;
            List<QuarantineRow>? quarantine = _quarantine.Count > 0 ? [.. _quarantine] : null;
            _quarantine.Clear();
            var rows = _rows;
            var commitBronze = rows.Count > 0 || (last && stream is not null && _lastLine > 0);
            await _inFlight.ConfigureAwait(false);
            (_rows, _spare) = (_spare, rows);
            _inFlight = Task.Run(() => CommitAsync(rows, quarantine, commitBronze, appId, version, cancellationToken), cancellationToken);
            if (last)
            {
                await _inFlight.ConfigureAwait(false);
            }
        }

        /// <summary>Waits for the commit in flight, if any, whatever its outcome (the caller reports failures).</summary>
        public async Task DrainAsync()
        {
            try
            {
                await _inFlight.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Already observed by the flush that awaited it, or superseded by the failure that ended the payload.
            }
        }

        /// <summary>Gives the chunks (their native memory) back to the ingestor, for the next payload.</summary>
        public void Dispose()
        {
            _rows.Reset();
            _spare.Reset();
            owner._chunks.Add(_rows);
            owner._chunks.Add(_spare);
        }

        private async Task CommitAsync(BronzeChunk rows, List<QuarantineRow>? quarantine, bool commitBronze, string? appId, long version, CancellationToken cancellationToken)
        {
            try
            {
                if (quarantine is not null)
                {
                    await owner.Quarantine.AppendAsync(quarantine, new AppTransaction(appId ?? "quarantine:" + payload.Sha256, version), cancellationToken).ConfigureAwait(false);
                }

                if (commitBronze)
                {
                    var txn = new AppTransaction(appId ?? "bronze:" + payload.Sha256, version);
                    await owner.Bronze.AppendAsync(rows, txn, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                rows.Reset();
            }
        }
    }
}
