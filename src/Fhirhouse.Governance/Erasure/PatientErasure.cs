using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Governance.Secrets;
using Fhirhouse.Ingest.Lake;
using Fhirhouse.Ingest.Views;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// The right to erasure across the whole lake (docs/erasure.md): removes a patient from the raw zone (payloads
/// rewritten without them), from every Delta table under <c>tables/</c> that names patients or resources, from job state
/// under <c>jobs/</c>, and from time travel (VACUUM of the files that held them, log cleaned up to a new checkpoint),
/// then stores a signed report under <c>jobs/erasure/reports/</c>. Every step is idempotent and recorded in a journal,
/// so an interrupted erasure is completed by running it again; erasing an erased patient finds nothing.
/// </summary>
public sealed class PatientErasure
{
    /// <summary>Where erasure state lives: the journal of a run in progress, the reports, the audit trail.</summary>
    public const string Prefix = "jobs/erasure/";

    /// <summary>Where signed reports are stored.</summary>
    public const string ReportsPrefix = Prefix + "reports/";

    private const string JournalPrefix = Prefix + "in-progress/";
    private const string TablesPrefix = "tables/";

    /// <summary>A horizon a day ahead of the clock: files written moments ago (this erasure's change data) go too, whatever the skew between our clock and the store's.</summary>
    private static readonly TimeSpan s_everything = TimeSpan.FromDays(-1);

    private static readonly string[] s_patientColumns = ["patient_id", "patient", "patient_reference", "subject", "subject_id", "subject_reference"];

    private static readonly string[] s_notes =
    [
        "raw zone: a payload shared with other patients is rewritten without the patient (lines emptied, Bundle entries removed) as a new content-addressed object and the old one deleted; crypto-shredding cannot isolate one patient in a shared object",
        "time travel: every table the patient was removed from keeps only its versions from the erasure's checkpoint on; older versions and their change data feed are gone",
        "decrypted cache: the query engine decrypts into per-process memory (memfd) only and writes no plaintext to disk; restart long-running processes (the server) to drop what they hold",
    ];

    private readonly IObjectStore _lake;
    private readonly byte[] _subjectKey;

    private PatientErasure(IObjectStore lake, LakeSecrets secrets)
    {
        _lake = lake;
        _subjectKey = secrets.Derive("erasure-subject");
        Signer = ErasureReportSigner.For(secrets);
    }

    /// <summary>Signs and verifies this lake's erasure reports.</summary>
    public ErasureReportSigner Signer { get; }

    /// <summary>Opens the erasure over the lake's store (the decrypting one) and its key provider.</summary>
    public static async Task<PatientErasure> OpenAsync(IObjectStore lake, IKeyProvider keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        return new PatientErasure(lake, await LakeSecrets.OpenAsync(lake, keys, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The keyed hash that stands for a patient in reports and audit events (hex HMAC-SHA256 of "Patient/ID").</summary>
    public string SubjectOf(string patientId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_subjectKey, Encoding.UTF8.GetBytes("Patient/" + patientId)));

    /// <summary>
    /// Erases the patient (or, with <see cref="ErasureOptions.DryRun"/>, says what would be removed) and returns the
    /// signed report; a real run also stores it under <see cref="ReportsPrefix"/>. Throws <see cref="ArgumentException"/>
    /// for an id that is not a FHIR id; any failure leaves a journal that the next run completes.
    /// </summary>
    public async Task<ErasureReport> EraseAsync(string patientId, ErasureOptions options, IProgress<ErasureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (patientId is null || !ResourceScanner.IsValidId(patientId))
        {
            throw new ArgumentException("The patient id is not a FHIR id (1 to 64 letters, digits, '-' and '.').", nameof(patientId));
        }

        var subject = SubjectOf(patientId);
        await options.Audit.RecordAsync(new ErasureAuditEvent(options.Time.GetUtcNow(), options.Operator, subject, options.DryRun, "started", null, null), cancellationToken).ConfigureAwait(false);
        try
        {
            var run = new Run(this, patientId, subject, options, progress);
            var (report, key) = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await options.Audit.RecordAsync(new ErasureAuditEvent(options.Time.GetUtcNow(), options.Operator, subject, options.DryRun, "completed", key, null), cancellationToken).ConfigureAwait(false);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await options.Audit.RecordAsync(
                new ErasureAuditEvent(options.Time.GetUtcNow(), options.Operator, subject, options.DryRun, "failed", null, e.GetType().Name + ": " + e.Message),
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads a stored report and checks its signature; throws <see cref="InvalidDataException"/> when it does not verify.</summary>
    public async Task<ErasureReport> ReadReportAsync(string key, CancellationToken cancellationToken = default)
    {
        var report = ErasureReportSigner.Parse(await _lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false));
        return Signer.Verify(report) ? report : throw new InvalidDataException($"{key}: the erasure report's signature does not verify with this lake's keys.");
    }

    /// <summary>One erasure run: the journal, the matcher and the tables it works through.</summary>
    private sealed class Run(PatientErasure owner, string patientId, string subject, ErasureOptions options, IProgress<ErasureProgress>? progress)
    {
        private readonly IObjectStore _lake = owner._lake;
        private readonly DeltaTableOptions _tableOptions = new() { TimeProvider = options.Time, CheckpointInterval = 1 };
        private readonly string _journalKey = JournalPrefix + subject + ".json";
        private ErasureJournal _journal = null!;
        private PatientMatcher _matcher = null!;
        private readonly HashSet<string> _candidates = new(StringComparer.Ordinal);

        public async Task<(ErasureReport Report, string? Key)> ExecuteAsync(CancellationToken cancellationToken)
        {
            var started = options.Time.GetUtcNow();
            _journal = !options.DryRun && await _lake.ExistsAsync(_journalKey, cancellationToken).ConfigureAwait(false)
                ? JsonSerializer.Deserialize<ErasureJournal>(await _lake.ReadAllBytesAsync(_journalKey, cancellationToken).ConfigureAwait(false), ErasureJson.Options)!
                : new ErasureJournal { Subject = subject, Operator = options.Operator, StartedAt = started };
            _journal.Operator = options.Operator;
            var tables = await FindTablesAsync(cancellationToken).ConfigureAwait(false);
            var bronze = tables.Contains(LakeTables.Bronze, StringComparer.Ordinal) ? await OpenAsync(LakeTables.Bronze, cancellationToken).ConfigureAwait(false) : null;
            if (_journal.BronzeVersionBefore is null && bronze is not null)
            {
                var version = (await bronze.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
                _journal.BronzeVersionBefore = version;
                foreach (var path in tables)
                {
                    var snapshot = await (await OpenAsync(path, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (snapshot.GetTransactionVersion(ViewTables.BronzeAppId) == version)
                    {
                        _journal.Followers.Add(path);
                    }
                }
            }

            _matcher = new PatientMatcher(patientId, await FindPatientKeysAsync(bronze, cancellationToken).ConfigureAwait(false));
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            if (!_journal.RawDone)
            {
                await EraseRawAsync(tables, cancellationToken).ConfigureAwait(false);
            }

            if (!_journal.JobsDone)
            {
                await EraseJobsAsync(cancellationToken).ConfigureAwait(false);
            }

            await EraseTablesAsync(tables, cancellationToken).ConfigureAwait(false);
            if (!options.DryRun)
            {
                await SettleTimeTravelAsync(tables, cancellationToken).ConfigureAwait(false);
            }

            var report = owner.Signer.Sign(new ErasureReport(
                ErasureReport.CurrentFormat, subject, options.Operator, _journal.StartedAt, options.Time.GetUtcNow(), options.DryRun,
                [.. _journal.Payloads.OrderBy(p => p.Key, StringComparer.Ordinal)],
                [.. _journal.Tables.OrderBy(t => t.Path, StringComparer.Ordinal)],
                [.. _journal.JobFiles.OrderBy(f => f.Key, StringComparer.Ordinal)],
                [.. _journal.NeedRebuild.Order(StringComparer.Ordinal)],
                s_notes,
                null));
            if (options.DryRun)
            {
                return (report, null);
            }

            Report("report", subject[..16], 0, 1);
            var stamp = report.CompletedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
            var bytes = ErasureReportSigner.Serialize(report);
            var key = $"{ReportsPrefix}{subject}/{stamp}.json";
            for (var n = 1; !await _lake.PutIfAbsentAsync(key, bytes, cancellationToken).ConfigureAwait(false); n++)
            {
                key = $"{ReportsPrefix}{subject}/{stamp}-{n}.json";
            }
            await _lake.DeleteAsync(_journalKey, cancellationToken).ConfigureAwait(false);
            Report("report", key, 1, 1);
            return (report, key);
        }

        private void Report(string zone, string item, int done, int total) => progress?.Report(new ErasureProgress(zone, item, done, total));

        private async Task SaveAsync(CancellationToken cancellationToken)
        {
            if (!options.DryRun)
            {
                await _lake.PutAsync(_journalKey, JsonSerializer.SerializeToUtf8Bytes(_journal, ErasureJson.Options), cancellationToken).ConfigureAwait(false);
            }
        }

        private Task<DeltaTable> OpenAsync(string path, CancellationToken cancellationToken) =>
            DeltaTable.OpenAsync(_lake, path, _tableOptions, cancellationToken);

        /// <summary>Every Delta table under <c>tables/</c> (a folder holding a <c>_delta_log/</c>), in path order.</summary>
        private async Task<List<string>> FindTablesAsync(CancellationToken cancellationToken)
        {
            var paths = new SortedSet<string>(StringComparer.Ordinal);
            await foreach (var info in _lake.ListAsync(TablesPrefix, cancellationToken).ConfigureAwait(false))
            {
                var log = info.Key.IndexOf("/_delta_log/", StringComparison.Ordinal);
                if (log > 0)
                {
                    paths.Add(info.Key[..log]);
                }
            }

            return [.. paths];
        }

        /// <summary>
        /// The patient's resource keys from bronze's latest version (rows whose patient is them, then deletion rows of
        /// those keys), noting the raw payloads those rows point at as candidates for rewriting.
        /// </summary>
        private async Task<HashSet<string>> FindPatientKeysAsync(DeltaTable? bronze, CancellationToken cancellationToken)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            if (bronze is null)
            {
                return keys;
            }

            var snapshot = await bronze.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var schema = snapshot.Schema;
            int type = schema.IndexOf("resource_type"), id = schema.IndexOf("id"), patient = schema.IndexOf("patient_id"), raw = schema.IndexOf("raw_key");
            var unowned = new List<(string Key, string Raw)>();
            await foreach (var row in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = row[type] + "/" + row[id];
                if (string.Equals(row[patient] as string, patientId, StringComparison.Ordinal) || string.Equals(key, "Patient/" + patientId, StringComparison.Ordinal))
                {
                    keys.Add(key);
                    _candidates.Add((string)row[raw]!);
                }
                else if (row[patient] is null)
                {
                    unowned.Add((key, (string)row[raw]!));
                }
            }

            foreach (var (_, payload) in unowned.Where(u => keys.Contains(u.Key)))
            {
                _candidates.Add(payload);
            }

            return keys;
        }

        private async Task EraseRawAsync(List<string> tables, CancellationToken cancellationToken)
        {
            await AddRawCandidatesAsync(tables, cancellationToken).ConfigureAwait(false);
            var candidates = _candidates.Where(k => k.StartsWith(LakeTables.RawPayloads, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < candidates.Count; i++)
            {
                var key = candidates[i];
                Report("raw", key, i, candidates.Count);
                if (!await _lake.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var stored = await _lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false);
                var stripped = PayloadText.Strip(stored, PayloadText.IsSingleDocument(key), _matcher, out var emptied, out var removed, out var empty);
                if (stripped is null)
                {
                    continue;
                }

                string? newKey = null;
                if (!empty)
                {
                    var hash = Convert.ToHexStringLower(SHA256.HashData(stripped));
                    var name = key[(key.LastIndexOf('/') + 1)..];
                    var extension = name.Length > 64 ? name[64..] : "";
                    newKey = $"{LakeTables.RawPayloads}{hash[..2]}/{hash}{extension}";
                    if (!options.DryRun)
                    {
                        await _lake.PutIfAbsentAsync(newKey, stripped, cancellationToken).ConfigureAwait(false);
                    }
                }

                _journal.Record(new PayloadErasure(key, newKey, empty ? 0 : stripped.Length, removed, emptied));
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            Report("raw", "", candidates.Count, candidates.Count);
            if (options.DryRun || _journal.Payloads.Count == 0)
            {
                return;
            }

            var moved = _journal.Payloads.Where(p => p.NewKey is not null).ToDictionary(p => p.Key, p => p.NewKey!, StringComparer.Ordinal);
            if (moved.Count > 0)
            {
                foreach (var path in tables.Where(p => !string.Equals(p, LakeTables.RawManifest, StringComparison.Ordinal)))
                {
                    var table = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
                    var raw = (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Schema.IndexOf("raw_key");
                    if (raw >= 0)
                    {
                        Report("raw", "repoint " + path, 0, 1);
                        await table.UpdateAsync(
                            row => row[raw] is string k && moved.ContainsKey(k),
                            row => { var copy = (object?[])row.Clone(); copy[raw] = moved[(string)row[raw]!]; return copy; },
                            cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            await UpdateManifestAsync(tables, cancellationToken).ConfigureAwait(false);
            foreach (var payload in _journal.Payloads)
            {
                await _lake.DeleteAsync(payload.Key, cancellationToken).ConfigureAwait(false);
            }

            _journal.RawDone = true;
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Payloads to check besides those of the patient's bronze rows: those of quarantine rows that are theirs or could
        /// not be read, payloads of an interrupted run, and objects of the raw zone the manifest does not list.
        /// </summary>
        private async Task AddRawCandidatesAsync(List<string> tables, CancellationToken cancellationToken)
        {
            foreach (var payload in _journal.Payloads)
            {
                _candidates.Add(payload.Key);
            }

            if (tables.Contains(LakeTables.Quarantine, StringComparer.Ordinal))
            {
                var snapshot = await (await OpenAsync(LakeTables.Quarantine, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                int raw = snapshot.Schema.IndexOf("raw_key"), type = snapshot.Schema.IndexOf("resource_type"), id = snapshot.Schema.IndexOf("id");
                await foreach (var row in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (row[id] is null || _matcher.OwnsKey(row[type] as string ?? "Patient", row[id] as string))
                    {
                        _candidates.Add((string)row[raw]!);
                    }
                }
            }

            var listed = new HashSet<string>(StringComparer.Ordinal);
            if (tables.Contains(LakeTables.RawManifest, StringComparer.Ordinal))
            {
                var snapshot = await (await OpenAsync(LakeTables.RawManifest, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var raw = snapshot.Schema.IndexOf("raw_key");
                await foreach (var row in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
                {
                    listed.Add((string)row[raw]!);
                }
            }

            await foreach (var info in _lake.ListAsync(LakeTables.RawPayloads, cancellationToken).ConfigureAwait(false))
            {
                if (!listed.Contains(info.Key))
                {
                    _candidates.Add(info.Key);
                }
            }
        }

        /// <summary>The manifest records each rewrite (new key, hash, size, fewer resources, status "rewritten") and drops payloads that were wholly the patient's.</summary>
        private async Task UpdateManifestAsync(List<string> tables, CancellationToken cancellationToken)
        {
            if (!tables.Contains(LakeTables.RawManifest, StringComparer.Ordinal))
            {
                return;
            }

            var manifest = await OpenAsync(LakeTables.RawManifest, cancellationToken).ConfigureAwait(false);
            var schema = (await manifest.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Schema;
            int raw = schema.IndexOf("raw_key"), sha = schema.IndexOf("sha256"), size = schema.IndexOf("size"), status = schema.IndexOf("status"), resources = schema.IndexOf("resources");
            var byKey = _journal.Payloads.ToDictionary(p => p.Key, StringComparer.Ordinal);
            await manifest.UpdateAsync(
                row => row[raw] is string k && byKey.TryGetValue(k, out var p) && p.NewKey is not null,
                row =>
                {
                    var payload = byKey[(string)row[raw]!];
                    var newKey = payload.NewKey!;
                    var copy = (object?[])row.Clone();
                    copy[raw] = newKey;
                    var name = newKey[(newKey.LastIndexOf('/') + 1)..];
                    if (sha >= 0)
                    {
                        copy[sha] = name[..64];
                    }

                    if (size >= 0)
                    {
                        copy[size] = payload.NewSize;
                    }

                    if (status >= 0)
                    {
                        copy[status] = "rewritten";
                    }

                    if (resources >= 0 && row[resources] is long count)
                    {
                        copy[resources] = Math.Max(0, count - payload.Removed);
                    }

                    return copy;
                },
                cancellationToken).ConfigureAwait(false);
            await manifest.DeleteAsync(row => row[raw] is string k && byKey.TryGetValue(k, out var p) && p.NewKey is null, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Job state under <c>jobs/</c> (not erasure state nor secrets): NDJSON rewritten without the patient, other objects that mention them deleted.</summary>
        private async Task EraseJobsAsync(CancellationToken cancellationToken)
        {
            var keys = new List<string>();
            await foreach (var info in _lake.ListAsync("jobs/", cancellationToken).ConfigureAwait(false))
            {
                if (!info.Key.StartsWith(Prefix, StringComparison.Ordinal) && !info.Key.StartsWith("jobs/secrets/", StringComparison.Ordinal))
                {
                    keys.Add(info.Key);
                }
            }

            var changed = new List<JobFileErasure>();
            for (var i = 0; i < keys.Count; i++)
            {
                var key = keys[i];
                Report("jobs", key, i, keys.Count);
                var bytes = await _lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false);
                if (key.EndsWith(".ndjson", StringComparison.Ordinal) || key.EndsWith(".ndjson.gz", StringComparison.Ordinal))
                {
                    var stripped = PayloadText.Strip(bytes, singleDocument: false, _matcher, out _, out var removed, out var empty);
                    if (stripped is null)
                    {
                        continue;
                    }

                    if (!options.DryRun)
                    {
                        await (empty ? _lake.DeleteAsync(key, cancellationToken) : _lake.PutAsync(key, stripped, cancellationToken)).ConfigureAwait(false);
                    }

                    changed.Add(new JobFileErasure(key, empty ? "deleted" : "rewritten", removed));
                }
                else if (_matcher.Mentions(bytes))
                {
                    if (!options.DryRun)
                    {
                        await _lake.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                    }

                    changed.Add(new JobFileErasure(key, "deleted", 1));
                }
            }

            if (!options.DryRun)
            {
                await FixExportManifestsAsync(changed, cancellationToken).ConfigureAwait(false);
            }

            _journal.JobFiles.AddRange(changed);
            _journal.JobsDone = true;
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>An export's <c>job.json</c> lists its files with their line counts: counts lowered, deleted files dropped.</summary>
        private async Task FixExportManifestsAsync(List<JobFileErasure> changed, CancellationToken cancellationToken)
        {
            foreach (var folder in changed.Where(c => c.Key.EndsWith(".ndjson", StringComparison.Ordinal)).GroupBy(c => c.Key[..(c.Key.LastIndexOf('/') + 1)], StringComparer.Ordinal))
            {
                var jobKey = folder.Key + "job.json";
                if (!await _lake.ExistsAsync(jobKey, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var job = JsonNode.Parse(await _lake.ReadAllBytesAsync(jobKey, cancellationToken).ConfigureAwait(false)) as JsonObject;
                if (job?["files"] is not JsonArray files)
                {
                    continue;
                }

                foreach (var change in folder)
                {
                    var name = change.Key[folder.Key.Length..];
                    var entry = files.OfType<JsonObject>().FirstOrDefault(f => string.Equals((string?)f["name"], name, StringComparison.Ordinal));
                    if (entry is null)
                    {
                        continue;
                    }

                    if (change.Action == "deleted")
                    {
                        files.Remove(entry);
                    }
                    else if (entry["count"] is JsonValue count && count.TryGetValue<long>(out var n))
                    {
                        entry["count"] = Math.Max(0, n - change.Removed);
                    }
                }

                await _lake.PutAsync(jobKey, JsonSerializer.SerializeToUtf8Bytes(job, ErasureJson.Options), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Deletes the patient's rows from every table that names patients or resources; bronze last, as it tells a re-run what was theirs.</summary>
        private async Task EraseTablesAsync(List<string> tables, CancellationToken cancellationToken)
        {
            var order = tables.Where(p => !string.Equals(p, LakeTables.RawManifest, StringComparison.Ordinal) && !string.Equals(p, LakeTables.Bronze, StringComparison.Ordinal)).ToList();
            if (tables.Contains(LakeTables.Bronze, StringComparer.Ordinal))
            {
                order.Add(LakeTables.Bronze);
            }

            var emptied = _journal.Payloads.Where(p => p.NewKey is null).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var lines = new HashSet<(string, long)>();
            foreach (var payload in _journal.Payloads)
            {
                foreach (var line in payload.EmptiedLines)
                {
                    lines.Add((payload.Key, line));
                    if (payload.NewKey is not null)
                    {
                        lines.Add((payload.NewKey, line));
                    }
                }
            }

            for (var i = 0; i < order.Count; i++)
            {
                var path = order[i];
                Report("tables", path, i, order.Count);
                var table = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
                var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (RowPredicate(snapshot.Schema, emptied, lines) is not { } owned)
                {
                    continue;
                }

                long count = 0;
                await foreach (var row in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
                {
                    count += owned(row) ? 1 : 0;
                }

                var before = _journal.Table(path);
                if (count == 0)
                {
                    if (before is null && await OlderVersionHoldsAsync(table, snapshot, owned, cancellationToken).ConfigureAwait(false))
                    {
                        _journal.Record(new TableErasure(path, 0, snapshot.Version, snapshot.Version, [], 0, null));
                        await SaveAsync(cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                if (options.DryRun)
                {
                    _journal.Record(new TableErasure(path, count, snapshot.Version, snapshot.Version, [], 0, null));
                    continue;
                }

                _journal.Record(before ?? new TableErasure(path, 0, snapshot.Version, snapshot.Version, [], 0, null));
                await SaveAsync(cancellationToken).ConfigureAwait(false);
                long deleted = 0;
                var commit = await table.DeleteAsync(row => owned(row) && ++deleted > 0, cancellationToken).ConfigureAwait(false);
                var recorded = _journal.Table(path)!;
                _journal.Record(recorded with { RowsDeleted = recorded.RowsDeleted + deleted, VersionAfter = commit.Version });
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            Report("tables", "", order.Count, order.Count);
        }

        /// <summary>
        /// True when an older readable version of a table holds the patient although its latest does not (a gold table
        /// their rows were deleted from). Bronze and quarantine only grow between erasures and tables derived from bronze
        /// are settled with it, so only the other tables are read version by version.
        /// </summary>
        private static async Task<bool> OlderVersionHoldsAsync(DeltaTable table, Snapshot latest, Func<object?[], bool> owned, CancellationToken cancellationToken)
        {
            if (table.Path is LakeTables.Bronze or LakeTables.Quarantine || latest.GetTransactionVersion(ViewTables.BronzeAppId) is not null)
            {
                return false;
            }

            foreach (var entry in await table.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entry.Version >= latest.Version)
                {
                    continue;
                }

                try
                {
                    var snapshot = await table.GetSnapshotAsync(entry.Version, cancellationToken).ConfigureAwait(false);
                    await foreach (var row in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (owned(row))
                        {
                            return true;
                        }
                    }
                }
                catch (ObjectNotFoundException)
                {
                    // A version whose files an earlier VACUUM removed: nothing of it can be read any more.
                }
            }

            return false;
        }

        /// <summary>
        /// The rows of a table that are the patient's: by resource key (resource_type + id, or <c>_resource_key</c>), by a
        /// patient column, or by pointing at a raw line emptied or a payload deleted; null for a table with none of these columns.
        /// </summary>
        private Func<object?[], bool>? RowPredicate(StructType schema, HashSet<string> emptied, HashSet<(string, long)> lines)
        {
            int type = schema.IndexOf("resource_type"), id = schema.IndexOf("id"), key = schema.IndexOf(ViewTables.ResourceKeyColumn);
            int raw = schema.IndexOf("raw_key"), line = schema.IndexOf("raw_line");
            var patients = s_patientColumns.Select(schema.IndexOf).Where(i => i >= 0).ToArray();
            var byKey = type >= 0 && id >= 0;
            if (!byKey && key < 0 && patients.Length == 0 && raw < 0)
            {
                return null;
            }

            var matcher = _matcher;
            return row =>
            {
                if (byKey && matcher.OwnsKey(row[type] as string, row[id] as string))
                {
                    return true;
                }

                if (key >= 0 && matcher.Names(row[key] as string))
                {
                    return true;
                }

                foreach (var column in patients)
                {
                    if (matcher.Names(row[column] as string))
                    {
                        return true;
                    }
                }

                return raw >= 0 && row[raw] is string k && (emptied.Contains(k) || (line >= 0 && row[line] is long n && lines.Contains((k, n))));
            };
        }

        /// <summary>
        /// Time travel: each table the patient was removed from, and every table derived from bronze when bronze was,
        /// gets a last commit (a checkpoint at it), VACUUM of every file the latest version does not need, and its log
        /// cleaned up to that checkpoint. Tables that reflected bronze when the erasure began are moved to bronze's new
        /// version (bronze's change feed before it is gone); others that follow bronze are listed as needing a rebuild.
        /// </summary>
        private async Task SettleTimeTravelAsync(List<string> tables, CancellationToken cancellationToken)
        {
            var touched = _journal.Tables.Select(t => t.Path).ToHashSet(StringComparer.Ordinal);
            var sealedAt = new Dictionary<string, long>(StringComparer.Ordinal);
            if (touched.Contains(LakeTables.Bronze))
            {
                var bronze = await OpenAsync(LakeTables.Bronze, cancellationToken).ConfigureAwait(false);
                var bronzeVersion = (await bronze.AppendAsync([], cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
                sealedAt[LakeTables.Bronze] = bronzeVersion;
                var othersWrote = await OthersWroteBronzeAsync(bronze, cancellationToken).ConfigureAwait(false);
                foreach (var path in tables.Where(p => !string.Equals(p, LakeTables.Bronze, StringComparison.Ordinal)))
                {
                    var table = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
                    var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    var applied = snapshot.GetTransactionVersion(ViewTables.BronzeAppId);
                    if (applied is null)
                    {
                        continue;
                    }

                    // Derived from bronze: any older version may hold the patient (a view drops a deleted resource's rows, its history keeps them).
                    if (_journal.Table(path) is null)
                    {
                        _journal.Record(new TableErasure(path, 0, snapshot.Version, snapshot.Version, [], 0, null));
                    }

                    if (applied >= bronzeVersion)
                    {
                        continue;
                    }

                    if (!othersWrote && _journal.Followers.Contains(path, StringComparer.Ordinal))
                    {
                        sealedAt[path] = (await table.AppendAsync([], new AppTransaction(ViewTables.BronzeAppId, bronzeVersion), cancellationToken).ConfigureAwait(false)).Version;
                    }
                    else if (!_journal.NeedRebuild.Contains(path, StringComparer.Ordinal))
                    {
                        _journal.NeedRebuild.Add(path);
                    }
                }
            }

            var order = _journal.Tables.Select(t => t.Path).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < order.Count; i++)
            {
                var path = order[i];
                Report("time travel", path, i, order.Count);
                var table = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
                if (!sealedAt.ContainsKey(path))
                {
                    await table.AppendAsync([], cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (snapshot.CheckpointVersion != snapshot.Version)
                {
                    throw new InvalidOperationException($"Table '{path}': no checkpoint could be written at version {snapshot.Version}, so its log cannot be cleaned up; run the erasure again.");
                }

                var vacuum = await table.VacuumAsync(s_everything, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                var log = await table.CleanUpLogAsync(s_everything, cancellationToken).ConfigureAwait(false);
                var history = await table.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var recorded = _journal.Table(path)!;
                _journal.Record(recorded with
                {
                    VersionAfter = snapshot.Version,
                    FilesVacuumed = [.. recorded.FilesVacuumed.Concat(vacuum.DeletedKeys).Distinct(StringComparer.Ordinal)],
                    LogFilesRemoved = recorded.LogFilesRemoved + log.Count,
                    EarliestVersion = history.Count > 0 ? history.Min(h => h.Version) : snapshot.Version,
                });
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            Report("time travel", "", order.Count, order.Count);
        }

        /// <summary>
        /// True when a commit other than the erasure's own (its UPDATE, DELETE and empty WRITE) reached bronze since the
        /// erasure began: the tables following bronze did not see it, so they are not moved along but listed for a rebuild.
        /// </summary>
        private async Task<bool> OthersWroteBronzeAsync(DeltaTable bronze, CancellationToken cancellationToken)
        {
            var history = await bronze.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return history.Any(h => h.Version > _journal.BronzeVersionBefore
                && !(h.Operation is "UPDATE" or "DELETE" || (h.Operation == "WRITE" && h.FilesAdded == 0 && h.FilesRemoved == 0)));
        }
    }
}
