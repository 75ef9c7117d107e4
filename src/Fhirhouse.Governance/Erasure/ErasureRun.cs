using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// One erasure run (<see cref="PatientErasure"/>): the journal, the matcher and the zones it works through, one file per
/// zone (raw, jobs, tables, time travel).
/// </summary>
internal sealed partial class ErasureRun(IObjectStore lake, ErasureReportSigner signer, string patientId, string subject, ErasureOptions options, IProgress<ErasureProgress>? progress)
{
    private const string JournalPrefix = PatientErasure.Prefix + "in-progress/";
    private const string TablesPrefix = LakeLayout.Tables;

    /// <summary>A horizon a day ahead of the clock: files written moments ago (this erasure's change data) go too, whatever the skew between our clock and the store's.</summary>
    private static readonly TimeSpan s_everything = TimeSpan.FromDays(-1);

    private static readonly string[] s_patientColumns = ["patient_id", "patient", "patient_reference", "subject", "subject_id", "subject_reference"];

    private static readonly string[] s_notes =
    [
        "raw zone: a payload shared with other patients is rewritten without the patient (lines emptied, Bundle entries removed) as a new content-addressed object and the old one deleted; crypto-shredding cannot isolate one patient in a shared object",
        "time travel: every table the patient was removed from keeps only its versions from the erasure's checkpoint on; older versions and their change data feed are gone",
        "decrypted cache: the query engine decrypts into per-process memory (memfd) only and writes no plaintext to disk; restart long-running processes (the server) to drop what they hold",
    ];

    private readonly DeltaTableOptions _tableOptions = new() { TimeProvider = options.Time, CheckpointInterval = 1 };
    private readonly string _journalKey = JournalPrefix + subject + ".json";
    private ErasureJournal _journal = null!;
    private PatientMatcher _matcher = null!;
    private readonly HashSet<string> _candidates = new(StringComparer.Ordinal);

    public async Task<(ErasureReport Report, string? Key)> ExecuteAsync(CancellationToken cancellationToken)
    {
        var started = options.Time.GetUtcNow();
        _journal = !options.DryRun && await lake.ExistsAsync(_journalKey, cancellationToken).ConfigureAwait(false)
            ? JsonSerializer.Deserialize<ErasureJournal>(await lake.ReadAllBytesAsync(_journalKey, cancellationToken).ConfigureAwait(false), ErasureJson.Options)!
            : new ErasureJournal { Subject = subject, Operator = options.Operator, StartedAt = started };
        _journal.Operator = options.Operator;
        var tables = await FindTablesAsync(cancellationToken).ConfigureAwait(false);
        var bronze = tables.Contains(BronzeTable.TablePath, StringComparer.Ordinal) ? await OpenAsync(BronzeTable.TablePath, cancellationToken).ConfigureAwait(false) : null;
        if (_journal.BronzeVersionBefore is null && bronze is not null)
        {
            var version = (await bronze.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
            _journal.BronzeVersionBefore = version;
            foreach (var path in tables)
            {
                var snapshot = await (await OpenAsync(path, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (snapshot.GetTransactionVersion(DerivedTable.BronzeAppId) == version)
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

        var report = signer.Sign(new ErasureReport(
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
        var key = $"{PatientErasure.ReportsPrefix}{subject}/{stamp}.json";
        for (var n = 1; !await lake.PutIfAbsentAsync(key, bytes, cancellationToken).ConfigureAwait(false); n++)
        {
            key = $"{PatientErasure.ReportsPrefix}{subject}/{stamp}-{n}.json";
        }
        await lake.DeleteAsync(_journalKey, cancellationToken).ConfigureAwait(false);
        Report("report", key, 1, 1);
        return (report, key);
    }

    private void Report(string zone, string item, int done, int total) => progress?.Report(new ErasureProgress(zone, item, done, total));

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            await lake.PutAsync(_journalKey, JsonSerializer.SerializeToUtf8Bytes(_journal, ErasureJson.Options), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<DeltaTable> OpenAsync(string path, CancellationToken cancellationToken) =>
        DeltaTable.OpenAsync(lake, path, _tableOptions, cancellationToken);

    /// <summary>Every Delta table under <c>tables/</c> (a folder holding a <c>_delta_log/</c>), in path order.</summary>
    private async Task<List<string>> FindTablesAsync(CancellationToken cancellationToken)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var info in lake.ListAsync(TablesPrefix, cancellationToken).ConfigureAwait(false))
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
}
