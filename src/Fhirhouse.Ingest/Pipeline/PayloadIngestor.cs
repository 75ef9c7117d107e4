using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Fhir.Bundles;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Ingest.Bronze;
using Fhirhouse.Ingest.Quarantine;
using Fhirhouse.Ingest.Raw;
using Fhirhouse.Ingest.Validation;
using Fhirhouse.Storage;

namespace Fhirhouse.Ingest.Pipeline;

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

        var batch = new Batch(this, payload, source, location, _options.Time.GetUtcNow(), stream: null, 0, 0);
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
        var batch = new Batch(
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
        await using (var stream = NdjsonReader.Decompressed(await Raw.OpenAsync(payload.Key, cancellationToken).ConfigureAwait(false)))
        {
            if (format == PayloadFormat.Ndjson)
            {
                await foreach (var line in NdjsonReader.ReadAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(line.LineNumber, line.Json.Span, entry: null);
                    await batch.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                batch.Add(1, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), entry: null);
            }
        }

        await batch.FlushAsync(last: true, cancellationToken).ConfigureAwait(false);
        await Manifest.AppendAsync(
            new ManifestRow(payload.Key, payload.Sha256, batch.Source, batch.Location, mediaType, payload.Size, batch.ReceivedAt, "ingested", batch.Resources, batch.Quarantined),
            new AppTransaction(ManifestApp(payload), 1),
            cancellationToken).ConfigureAwait(false);
        return new PayloadResult(batch.Location, payload.Key, AlreadyIngested: false, batch.Resources, batch.Deleted, batch.Quarantined);
    }

    /// <summary>
    /// The rows of one payload awaiting their commit, and what keys their txn: the chunk number (by content), or the
    /// stream position of the chunk's last line (by position, skipping the lines a table already recorded).
    /// </summary>
    private sealed class Batch(
        PayloadIngestor owner, RawPayload payload, string source, string location, DateTimeOffset receivedAt,
        StreamBatch? stream, long bronzeRecorded, long quarantineRecorded)
    {
        private readonly List<BronzeRow> _rows = [];
        private readonly List<QuarantineRow> _quarantine = [];
        private int _chunk;
        private long _lastLine;

        public RawPayload Payload => payload;

        public string Source => source;

        public string Location => location;

        public DateTimeOffset ReceivedAt => receivedAt;

        public long Resources { get; private set; }

        public long Deleted { get; private set; }

        public long Quarantined { get; private set; }

        public void Add(long line, ReadOnlySpan<byte> json, int? entry)
        {
            _lastLine = line;
            var options = owner._options;
            if (entry is null && ResourceScanner.PeekResourceType(json) == "Bundle" && TryExpand(line, json))
            {
                return;
            }

            ResourceHeader header;
            try
            {
                header = ResourceScanner.Scan(json, checkStructure: options.Validation != ValidationLevel.None);
            }
            catch (InvalidResourceException e)
            {
                Refuse(line, entry, e.Reason, null, null);
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

            _rows.Add(new BronzeRow(
                header.ResourceType, header.Id, header.VersionId, header.LastUpdated?.ToUniversalTime(), false, header.PatientId,
                source, payload.Key, line, Convert.ToHexStringLower(SHA256.HashData(json)), receivedAt, Encoding.UTF8.GetString(json)));
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
                if (e.IsDelete)
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

                    _rows.Add(new BronzeRow(
                        e.Key[..slash], e.Key[(slash + 1)..], null, (e.LastModified ?? bundle.Timestamp ?? receivedAt).ToUniversalTime(), true, null,
                        source, payload.Key, line, null, receivedAt, null));
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
        /// Commits the chunk: quarantine first, then bronze, whose txn marks the chunk done (by position, bronze is
        /// committed at the end of a stream payload even when empty, so that it records where to resume).
        /// </summary>
        public async Task FlushAsync(bool last, CancellationToken cancellationToken)
        {
            _chunk++;
            var version = stream is null ? _chunk : (_lastLine > 0 ? stream.Positions[(int)_lastLine - 1] : long.MinValue);
            var appId = stream?.AppId;
            if (_quarantine.Count > 0)
            {
                await owner.Quarantine.AppendAsync(_quarantine, new AppTransaction(appId ?? "quarantine:" + payload.Sha256, version), cancellationToken).ConfigureAwait(false);
            }

            if (_rows.Count > 0 || (last && stream is not null && _lastLine > 0))
            {
                await owner.Bronze.AppendAsync(_rows, new AppTransaction(appId ?? "bronze:" + payload.Sha256, version), cancellationToken).ConfigureAwait(false);
            }

            _rows.Clear();
            _quarantine.Clear();
        }
    }
}
