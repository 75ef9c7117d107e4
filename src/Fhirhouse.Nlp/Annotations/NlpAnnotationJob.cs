using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Fhir;
using Fhirhouse.Nlp.Sources;
using Fhirhouse.Storage;

namespace Fhirhouse.Nlp.Annotations;

/// <summary>
/// <c>fhirhouse nlp annotate</c>: reads the lake's free text (the current version of every DocumentReference,
/// DiagnosticReport, MedicationRequest and Communication in bronze), annotates it, lands the FHIR it gives in bronze as
/// the source <see cref="Source"/> (raw payload first, like any source), and writes <c>gold.nlp_annotations</c>.
/// <para>
/// Incremental: the table records the bronze version it reflects (Delta transaction "bronze"); a run reads bronze's
/// change data feed since then and re-annotates only the resources that changed. A run under another engine
/// fingerprint (<see cref="Annotator.Fingerprint"/>: a new lexicon, new rules, a new engine revision) re-annotates
/// everything. A source whose result is unchanged lands nothing; one whose annotations changed has the FHIR of the
/// mentions no longer found marked <c>entered-in-error</c> (<see cref="NlpFhirWriter.Retract"/>); a deleted source
/// (or one marked entered-in-error) loses its annotations and has its FHIR retracted.
/// </para>
/// <para>
/// Exactly once: the documents are taken in a fixed order (bronze's files by path, rows in order) and cut into batches
/// at file boundaries, and each batch's FHIR is one deterministic payload, so a run killed at any point and run again
/// lands the same payloads (the landing skips those already landed) and then commits the same rows. The table is
/// committed once, at the end, with the bronze version read at the start.
/// </para>
/// </summary>
public sealed class NlpAnnotationJob
{
    /// <summary>The source name of the FHIR the job lands in bronze.</summary>
    public const string Source = "nlp";

    private readonly IObjectStore _lake;
    private readonly PayloadIngestor _ingestor;
    private readonly Annotator _annotator;
    private readonly NlpAnnotateOptions _options;

    private NlpAnnotationJob(IObjectStore lake, PayloadIngestor ingestor, Annotator annotator, NlpAnnotateOptions options)
    {
        _lake = lake;
        _ingestor = ingestor;
        _annotator = annotator;
        _options = options;
    }

    /// <summary>A job over the lake in <paramref name="lake"/>, landing with <paramref name="ingest"/>'s rules.</summary>
    public static async Task<NlpAnnotationJob> OpenAsync(IObjectStore lake, IngestOptions ingest, Annotator annotator, NlpAnnotateOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(annotator);
        options ??= new NlpAnnotateOptions();
        if (options.BatchDocuments < 1)
        {
            throw new ArgumentException($"A batch holds at least one document (got {options.BatchDocuments}).", nameof(options));
        }

        return new NlpAnnotationJob(lake, await PayloadIngestor.OpenAsync(lake, ingest, cancellationToken).ConfigureAwait(false), annotator, options);
    }

    /// <summary>Brings <c>gold.nlp_annotations</c> and the NLP FHIR in bronze up to bronze's latest version.</summary>
    public async Task<NlpAnnotateResult> RunAsync(IProgress<NlpAnnotateProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var bronzeTable = _ingestor.Bronze.Table;
        var bronze = await bronzeTable.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var table = await NlpAnnotationsTable.Definition.OpenOrCreateAsync(_lake, _ingestor.Options.TableOptions, cancellationToken).ConfigureAwait(false);
        var annotations = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var applied = annotations.GetTransactionVersion(DerivedTable.BronzeAppId);
        var existing = await ReadExistingAsync(annotations, cancellationToken).ConfigureAwait(false);
        var fingerprint = _annotator.Fingerprint;
        var full = applied is null || existing.Values.Any(e => !string.Equals(e.Fingerprint, fingerprint, StringComparison.Ordinal));
        if (!full && applied >= bronze.Version)
        {
            return NlpAnnotateResult.UpToDate(bronze.Version, annotations.Version);
        }

        // Bronze's change feed since the last run is gone (an erasure cleaned its log up): everything is read again,
        // and what did not change is kept by its output digest.
        full = full || applied + 1 < await bronzeTable.GetEarliestCommitVersionAsync(cancellationToken).ConfigureAwait(false);

        // The current version of every text resource (small columns only), and which of them to read.
        var current = new Dictionary<string, (BronzeRow Row, BronzeScan.Location At)>(StringComparer.Ordinal);
        foreach (var type in SourceTexts.ResourceTypes)
        {
            foreach (var (key, value) in await BronzeScan.ReadCurrentAsync(bronzeTable, bronze, type, cancellationToken).ConfigureAwait(false))
            {
                current[key] = value;
            }
        }

        var candidates = full
            ? [.. current.Keys, .. existing.Keys]
            : await ChangedSinceAsync(bronzeTable, applied!.Value, bronze.Version, cancellationToken).ConfigureAwait(false);
        candidates = [.. candidates.Distinct(StringComparer.Ordinal)];
        var toRead = candidates.Where(k => current.TryGetValue(k, out var c) && !c.Row.Deleted).ToHashSet(StringComparer.Ordinal);
        var gone = candidates.Where(k => !toRead.Contains(k) && existing.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();

        var files = bronze.Files;
        var byFile = toRead.GroupBy(k => current[k].At.File)
            .OrderBy(g => files[g.Key].Path, StringComparer.Ordinal)
            .Select(g => (File: g.Key, Rows: g.ToDictionary(k => current[k].At.Row, k => k)))
            .ToList();
        var run = new Run(this, bronzeTable, bronze, table, existing, fingerprint, toRead.Count + gone.Count, progress);
        var batch = new List<(int File, Dictionary<long, string> Rows)>();
        var batchSize = 0;
        foreach (var piece in byFile)
        {
            batch.Add(piece);
            batchSize += piece.Rows.Count;
            if (batchSize >= _options.BatchDocuments)
            {
                await run.BatchAsync(batch, [], current, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                batchSize = 0;
            }
        }

        await run.BatchAsync(batch, gone, current, cancellationToken).ConfigureAwait(false);
        return await run.CommitAsync(full, applied, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the table holds per source resource: its rows' fingerprint, output digest and FHIR resources.</summary>
    private static async Task<Dictionary<string, Existing>> ReadExistingAsync(Snapshot annotations, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, Existing>(StringComparer.Ordinal);
        await foreach (var row in annotations.ReadRowsAsync([DerivedTable.ResourceKeyColumn, "fhir_resource", "engine_fingerprint", "output_digest"], cancellationToken).ConfigureAwait(false))
        {
            var key = (string)row[NlpAnnotationsTable.Column.ResourceKey]!;
            if (!existing.TryGetValue(key, out var entry))
            {
                existing[key] = entry = new Existing((string)row[NlpAnnotationsTable.Column.EngineFingerprint]!, (string)row[NlpAnnotationsTable.Column.OutputDigest]!, new HashSet<string>(StringComparer.Ordinal));
            }

            if (row[NlpAnnotationsTable.Column.FhirResource] is string resource)
            {
                entry.Resources.Add(resource);
            }
        }

        return existing;
    }

    /// <summary>The text resources bronze's change feed names between two versions.</summary>
    private static async Task<List<string>> ChangedSinceAsync(DeltaTable bronze, long applied, long version, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        var typeColumn = BronzeTable.Schema.IndexOf("resource_type");
        var idColumn = BronzeTable.Schema.IndexOf("id");
        await foreach (var change in bronze.ReadChangesAsync(applied + 1, version, cancellationToken).ConfigureAwait(false))
        {
            if ((string)change[BronzeTable.Schema.Fields.Count]! is "insert" or "update_postimage"
                && SourceTexts.ResourceTypes.Contains((string)change[typeColumn]!))
            {
                changed.Add((string)change[typeColumn]! + "/" + (string)change[idColumn]!);
            }
        }

        return changed;
    }

    /// <summary>The language of a BCP 47 tag the engine has rules for (fr..., en...), else null (guessed from the text).</summary>
    public static Language? LanguageOf(string? tag) =>
        tag is null ? null
        : tag.StartsWith("fr", StringComparison.OrdinalIgnoreCase) ? Language.French
        : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.English
        : null;

    private static bool EnteredInError(JsonElement resource) =>
        resource.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.ValueEquals("entered-in-error");

    /// <summary>One source resource's result: its rows and FHIR, or nothing to change.</summary>
    private sealed record DocumentResult(string Key, List<object?[]> Rows, List<WrittenResource> Resources, string Digest, int Texts, int Unread);

    private sealed record Existing(string Fingerprint, string Digest, HashSet<string> Resources);

    /// <summary>The state of one run: the files written, what was landed, the counts.</summary>
    private sealed class Run(
        NlpAnnotationJob job, DeltaTable bronzeTable, Snapshot bronze, DeltaTable table, Dictionary<string, Existing> existing, string fingerprint,
        long total, IProgress<NlpAnnotateProgress>? progress)
    {
        private readonly List<DataFile> _files = [];
        private readonly HashSet<string> _replaced = new(StringComparer.Ordinal);
        private long _done;
        private long _batches;
        private long _documents;
        private long _texts;
        private long _unread;
        private long _mentions;
        private long _landed;
        private long _retracted;
        private long _removed;
        private long _unchanged;

        public async Task BatchAsync(List<(int File, Dictionary<long, string> Rows)> pieces, List<string> gone, Dictionary<string, (BronzeRow Row, BronzeScan.Location At)> current, CancellationToken cancellationToken)
        {
            var documents = new List<(SourceReading Reading, BronzeRow Row)>();
            var enteredInError = new List<string>();
            foreach (var (file, rows) in pieces)
            {
                var read = new List<(SourceReading Reading, BronzeRow Row)>();
                await BronzeScan.ReadResourcesAsync(bronzeTable, bronze.Files[file], rows, (key, resource) =>
                {
                    if (EnteredInError(resource))
                    {
                        enteredInError.Add(key);
                    }
                    else if (SourceTexts.Read(resource) is { } reading)
                    {
                        read.Add((reading, current[key].Row));
                    }
                }, cancellationToken).ConfigureAwait(false);
                documents.AddRange(read.OrderBy(d => current[d.Reading.Document.Key].At.Row));
            }

            var results = new DocumentResult[documents.Count];
            Parallel.For(0, documents.Count, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, i =>
                results[i] = job.Annotate(documents[i].Reading, documents[i].Row, fingerprint));

            var payload = new List<string>();
            var newRows = new List<object?[]>();
            foreach (var result in results)
            {
                _documents++;
                _texts += result.Texts;
                _unread += result.Unread;
                existing.TryGetValue(result.Key, out var before);
                if (before is not null && string.Equals(before.Fingerprint, fingerprint, StringComparison.Ordinal) && string.Equals(before.Digest, result.Digest, StringComparison.Ordinal))
                {
                    _unchanged++;
                    continue;
                }

                if (before is null && result.Rows.Count == 0)
                {
                    continue;
                }

                _replaced.Add(result.Key);
                _mentions += result.Rows.Count;
                newRows.AddRange(result.Rows);
                payload.AddRange(result.Resources.Select(r => r.Json));
                _landed += result.Resources.Count;
                if (before is not null)
                {
                    var still = result.Resources.Select(r => r.ResourceType + "/" + r.Id).ToHashSet(StringComparer.Ordinal);
                    foreach (var resource in before.Resources.Where(r => !still.Contains(r)).Order(StringComparer.Ordinal))
                    {
                        _retractions.Add(resource);
                    }
                }
            }

            foreach (var key in gone.Concat(enteredInError).Where(existing.ContainsKey))
            {
                _replaced.Add(key);
                _removed++;
                foreach (var resource in existing[key].Resources.Order(StringComparer.Ordinal))
                {
                    _retractions.Add(resource);
                }
            }

            payload.AddRange(await RetractAsync(cancellationToken).ConfigureAwait(false));
            if (payload.Count > 0)
            {
                await LandAsync(payload, cancellationToken).ConfigureAwait(false);
            }

            if (newRows.Count > 0)
            {
                _files.AddRange(await table.WriteDataFilesAsync(newRows, cancellationToken).ConfigureAwait(false));
            }

            _done += documents.Count + enteredInError.Count + gone.Count;
            progress?.Report(new NlpAnnotateProgress(_done, total, _mentions));
        }

        private readonly List<string> _retractions = [];

        /// <summary>The resources to retract, read from bronze as they are now and marked entered-in-error.</summary>
        private async Task<List<string>> RetractAsync(CancellationToken cancellationToken)
        {
            if (_retractions.Count == 0)
            {
                return [];
            }

            var wanted = _retractions.ToHashSet(StringComparer.Ordinal);
            _retractions.Clear();
            var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var type in wanted.Select(k => k[..k.IndexOf('/', StringComparison.Ordinal)]).Where(NlpFhirWriter.MentionResourceTypes.Contains).Distinct(StringComparer.Ordinal))
            {
                var current = await BronzeScan.ReadCurrentAsync(bronzeTable, bronze, type, cancellationToken).ConfigureAwait(false);
                foreach (var group in wanted.Where(k => current.TryGetValue(k, out var c) && !c.Row.Deleted).GroupBy(k => current[k].At.File))
                {
                    await BronzeScan.ReadResourceBytesAsync(bronzeTable, bronze.Files[group.Key], group.ToDictionary(k => current[k].At.Row, k => k), (key, json) =>
                        found[key] = NlpFhirWriter.Retract(Encoding.UTF8.GetString(json.Span)), cancellationToken).ConfigureAwait(false);
                }
            }

            _retracted += found.Count;
            return [.. found.Values];
        }

        /// <summary>
        /// The bronze version the table reflects after this run: the version read, or bronze's latest when every commit
        /// since is this run's own landing or changes no text resource (so the next run need not scan them again).
        /// </summary>
        private async Task<long> ReflectedVersionAsync(CancellationToken cancellationToken)
        {
            var latest = (await bronzeTable.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
            return latest > bronze.Version && (await ChangedSinceAsync(bronzeTable, bronze.Version, latest, cancellationToken).ConfigureAwait(false)).Count == 0
                ? latest
                : bronze.Version;
        }

        private async Task LandAsync(List<string> resources, CancellationToken cancellationToken)
        {
            // The shared Device once per payload.
            var ndjson = Encoding.UTF8.GetBytes(string.Join('\n', resources.Distinct(StringComparer.Ordinal)) + "\n");
            var raw = await job._ingestor.Raw.LandAsync(ndjson, ".ndjson", cancellationToken).ConfigureAwait(false);
            _batches++;
            await job._ingestor.IngestAsync(raw, PayloadFormat.Ndjson, Source, $"nlp annotate ({fingerprint}, batch {_batches})", "application/fhir+ndjson", cancellationToken).ConfigureAwait(false);
        }

        public async Task<NlpAnnotateResult> CommitAsync(bool full, long? applied, CancellationToken cancellationToken)
        {
            var reflects = await ReflectedVersionAsync(cancellationToken).ConfigureAwait(false);
            var txn = new AppTransaction(DerivedTable.BronzeAppId, reflects);
            long? version = null;
            if (full)
            {
                // Rows of the sources unchanged are kept by rewriting only the others: a full run replaces what it re-annotated.
                version = applied is null && _replaced.Count == 0 && _files.Count == 0
                    ? (await table.OverwriteFilesAsync([], txn, cancellationToken).ConfigureAwait(false)).Version
                    : (await table.ReplaceWhereAsync(RowPredicate.In(DerivedTable.ResourceKeyColumn, _replaced), _ => Task.FromResult<IReadOnlyList<DataFile>>(_files), txn, cancellationToken).ConfigureAwait(false)).Version;
            }
            else if (_replaced.Count > 0)
            {
                version = (await table.ReplaceWhereAsync(RowPredicate.In(DerivedTable.ResourceKeyColumn, _replaced), _ => Task.FromResult<IReadOnlyList<DataFile>>(_files), txn, cancellationToken).ConfigureAwait(false)).Version;
            }
            else if (applied < reflects)
            {
                // Nothing to rewrite, but the table now reflects a later bronze: recorded, so the next run (and an
                // erasure, which moves only up-to-date followers along) starts from there.
                version = (await table.AppendAsync([], txn, cancellationToken).ConfigureAwait(false)).Version;
            }

            return new NlpAnnotateResult(reflects, version, full, _documents, _texts, _unread, _mentions, _unchanged, _landed, _retracted, _removed, fingerprint);
        }
    }

    private DocumentResult Annotate(SourceReading reading, BronzeRow row, string fingerprint)
    {
        var document = reading.Document;
        var texts = new List<TextAnnotation>(document.Texts.Count);
        foreach (var text in document.Texts)
        {
            texts.Add(new TextAnnotation(text, _annotator.Read(text.Text, LanguageOf(text.Language), document.WrittenYear)));
        }

        var output = NlpFhirWriter.Write(document, texts, fingerprint, row.IngestedAt);
        var resourceOf = output.Mentions.ToDictionary(m => m.MentionId, m => m.ResourceKey, StringComparer.Ordinal);
        var digest = Digest(output.Resources);
        var rows = new List<object?[]>();
        foreach (var (text, read) in texts)
        {
            var language = read.Language == Language.French ? "fr" : "en";
            foreach (var m in read.Mentions)
            {
                var id = NlpIds.Mention(document.Key, text.Path, MentionKinds.Concept, m.Concept.Id, m.Start, m.End);
                rows.Add(Row(document, row, text, language, m.Section.ToString(), id, MentionKinds.Concept, m.Start, m.End, m.Text, m.Concept.Id, m.Concept.Display, m.Concept.Kind.ToString(),
                    Codes(m.Concept.Codes.Select(c => (c.System, c.Code))), m.Assertion, m.Relative?.Code, null, null, resourceOf.GetValueOrDefault(id), fingerprint, digest));
            }

            foreach (var m in read.Measurements)
            {
                var id = NlpIds.Mention(document.Key, text.Path, MentionKinds.Measurement, m.TestId, m.Start, m.End);
                rows.Add(Row(document, row, text, language, null, id, MentionKinds.Measurement, m.Start, m.End, m.Text, m.TestId, m.Display, null,
                    Codes([("http://loinc.org", m.Loinc)]), null, null, (double)m.Value, m.Ucum, resourceOf.GetValueOrDefault(id), fingerprint, digest));
            }

            foreach (var m in read.Medications)
            {
                var id = NlpIds.Mention(document.Key, text.Path, MentionKinds.Medication, m.Drug.Concept.Id, m.Start, m.End);
                var dose = m.DoseQuantity ?? m.Strength;
                rows.Add(Row(document, row, text, language, null, id, MentionKinds.Medication, m.Start, m.End, m.Text, m.Drug.Concept.Id, m.Drug.Concept.Display, m.Drug.Concept.Kind.ToString(),
                    Codes(m.Drug.Concept.Codes.Select(c => (c.System, c.Code))), null, null, dose is null ? null : (double)dose.Value, dose?.Unit, resourceOf.GetValueOrDefault(id), fingerprint, digest));
            }
        }

        return new DocumentResult(document.Key, rows, [.. output.Resources], digest, texts.Count, reading.Unread.Count);
    }

    private object?[] Row(
        SourceDocument document, BronzeRow source, SourceText text, string language, string? section, string mentionId, string kind, int start, int end, string written,
        string conceptId, string display, string? conceptKind, string codes, MentionAssertion? assertion, string? relative, double? value, string? unit,
        string? resource, string fingerprint, string digest) =>
    [
        document.Key, source.PatientId, text.Path, language, section is null or "None" ? null : section, mentionId, kind, start, end, written,
        conceptId, display, conceptKind, codes,
        assertion?.Negation.ToString(), assertion?.Temporality.ToString(), assertion?.Experiencer.ToString(), relative,
        assertion is null ? null : string.Join(' ', assertion.Rules),
        value, unit, resource, source.LastUpdated, fingerprint, _annotator.Versions, digest,
    ];

    private static string Codes(IEnumerable<(string System, string Code)> codes) => string.Join(' ', codes.Select(c => c.System + "|" + c.Code));

    private static string Digest(IReadOnlyList<WrittenResource> resources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var resource in resources)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(resource.Json));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}

/// <summary>How <c>nlp annotate</c> runs.</summary>
public sealed record NlpAnnotateOptions
{
    /// <summary>Documents read, annotated and landed together (cut at bronze file boundaries); each batch is one payload.</summary>
    public int BatchDocuments { get; init; } = 5_000;
}

/// <summary>Progress of <c>nlp annotate</c>: source resources done of those to do, mentions found so far.</summary>
public readonly record struct NlpAnnotateProgress(long Done, long Total, long Mentions);

/// <summary>
/// What a run of <c>nlp annotate</c> did: the bronze version it reflects, the table version it committed (null: nothing
/// to commit), whether it re-annotated everything, and its counts.
/// </summary>
public sealed record NlpAnnotateResult(
    long BronzeVersion,
    long? TableVersion,
    bool Full,
    long Documents,
    long Texts,
    long Unread,
    long Mentions,
    long Unchanged,
    long ResourcesLanded,
    long Retracted,
    long Removed,
    string Fingerprint)
{
    /// <summary>Nothing to do: the table already reflects bronze's latest version under this engine.</summary>
    public bool WasUpToDate { get; private init; }

    internal static NlpAnnotateResult UpToDate(long bronzeVersion, long tableVersion) =>
        new(bronzeVersion, null, false, 0, 0, 0, 0, 0, 0, 0, 0, string.Empty) { WasUpToDate = true };
}
