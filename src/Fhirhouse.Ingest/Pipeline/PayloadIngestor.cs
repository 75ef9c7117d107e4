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
        var manifestApp = "manifest:" + payload.Sha256;
        if (await Manifest.IsRecordedAsync(manifestApp, cancellationToken).ConfigureAwait(false))
        {
            return new PayloadResult(location, payload.Key, AlreadyIngested: true, 0, 0, 0);
        }

        var receivedAt = _options.Time.GetUtcNow();
        var batch = new Batch(this, payload, source, location, receivedAt);
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

        await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Manifest.AppendAsync(
            new ManifestRow(payload.Key, payload.Sha256, source, location, mediaType, payload.Size, receivedAt, "ingested", batch.Resources, batch.Quarantined),
            new AppTransaction(manifestApp, 1),
            cancellationToken).ConfigureAwait(false);
        return new PayloadResult(location, payload.Key, AlreadyIngested: false, batch.Resources, batch.Deleted, batch.Quarantined);
    }

    /// <summary>The rows of one payload awaiting their commit, and the chunk counter that keys their txn.</summary>
    private sealed class Batch(PayloadIngestor owner, RawPayload payload, string source, string location, DateTimeOffset receivedAt)
    {
        private readonly List<BronzeRow> _rows = [];
        private readonly List<QuarantineRow> _quarantine = [];
        private int _chunk;

        public long Resources { get; private set; }

        public long Deleted { get; private set; }

        public long Quarantined { get; private set; }

        public void Add(long line, ReadOnlySpan<byte> json, int? entry)
        {
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

                    _rows.Add(new BronzeRow(
                        e.Key[..slash], e.Key[(slash + 1)..], null, (bundle.Timestamp ?? receivedAt).ToUniversalTime(), true, null,
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

        private void Refuse(long line, int? entry, string reason, string? resourceType, string? id)
        {
            var where = entry is null ? $"{location}, line {line}" : $"{location}, line {line}, entry {entry}";
            _quarantine.Add(new QuarantineRow(source, payload.Key, line, where, reason, resourceType, id, receivedAt));
            Quarantined++;
        }

        public Task FlushIfFullAsync(CancellationToken cancellationToken) =>
            _rows.Count + _quarantine.Count >= owner._options.ChunkSize ? FlushAsync(cancellationToken) : Task.CompletedTask;

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            _chunk++;
            if (_rows.Count > 0)
            {
                await owner.Bronze.AppendAsync(_rows, new AppTransaction("bronze:" + payload.Sha256, _chunk), cancellationToken).ConfigureAwait(false);
            }

            if (_quarantine.Count > 0)
            {
                await owner.Quarantine.AppendAsync(_quarantine, new AppTransaction("quarantine:" + payload.Sha256, _chunk), cancellationToken).ConfigureAwait(false);
            }

            _rows.Clear();
            _quarantine.Clear();
        }
    }
}
