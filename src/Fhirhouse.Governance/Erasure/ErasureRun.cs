using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// One erasure run (<see cref="PatientErasure"/>): reads or starts the journal, finds the tables and the patient's
/// resource keys, then runs the steps in order (raw zone, job state, tables, time travel), each recorded in the journal
/// so that an interrupted run resumes, and signs the report.
/// </summary>
internal sealed class ErasureRun(IObjectStore lake, ErasureReportSigner signer, string patientId, string subject, ErasureOptions options, IProgress<ErasureProgress>? progress)
{
    private const string JournalPrefix = PatientErasure.Prefix + "in-progress/";

    private static readonly string[] s_notes =
    [
        "raw zone: a payload shared with other patients is rewritten without the patient (lines emptied, Bundle entries removed) as a new content-addressed object and the old one deleted; crypto-shredding cannot isolate one patient in a shared object",
        "time travel: every table the patient was removed from keeps only its versions from the erasure's checkpoint on; older versions and their change data feed are gone",
        "decrypted cache: the query engine decrypts into per-process memory (memfd) only and writes no plaintext to disk; restart long-running processes (the server) to drop what they hold",
    ];

    private readonly string _journalKey = JournalPrefix + subject + ".json";
    private readonly ErasureContext _context = new(lake, options, progress, JournalPrefix + subject + ".json");

    public async Task<(ErasureReport Report, string? Key)> ExecuteAsync(CancellationToken cancellationToken)
    {
        var started = options.Time.GetUtcNow();
        var context = _context;
        context.Journal = !options.DryRun && await lake.ExistsAsync(_journalKey, cancellationToken).ConfigureAwait(false)
            ? JsonSerializer.Deserialize<ErasureJournal>(await lake.ReadAllBytesAsync(_journalKey, cancellationToken).ConfigureAwait(false), ErasureJson.Options)!
            : new ErasureJournal { Subject = subject, Operator = options.Operator, StartedAt = started };
        var journal = context.Journal;
        journal.Operator = options.Operator;
        var tables = await FindTablesAsync(cancellationToken).ConfigureAwait(false);
        var bronze = tables.Contains(BronzeTable.TablePath, StringComparer.Ordinal) ? await context.OpenTableAsync(BronzeTable.TablePath, cancellationToken).ConfigureAwait(false) : null;
        if (journal.BronzeVersionBefore is null && bronze is not null)
        {
            var version = (await bronze.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
            journal.BronzeVersionBefore = version;
            foreach (var path in tables)
            {
                var snapshot = await (await context.OpenTableAsync(path, cancellationToken).ConfigureAwait(false)).GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (snapshot.GetTransactionVersion(DerivedTable.BronzeAppId) == version)
                {
                    journal.Followers.Add(path);
                }
            }
        }

        context.Matcher = new PatientMatcher(patientId, await FindPatientKeysAsync(bronze, cancellationToken).ConfigureAwait(false));
        await context.SaveAsync(cancellationToken).ConfigureAwait(false);
        if (!journal.RawDone)
        {
            await new RawZoneErasure(context).RunAsync(tables, cancellationToken).ConfigureAwait(false);
        }

        if (!journal.JobsDone)
        {
            await new JobStateErasure(context).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        await new TableRowErasure(context).RunAsync(tables, cancellationToken).ConfigureAwait(false);
        if (!journal.RawDone)
        {
            await new RawZoneErasure(context).FinishAsync(tables, cancellationToken).ConfigureAwait(false);
        }
        if (!options.DryRun)
        {
            await new TimeTravelSettlement(context).RunAsync(tables, cancellationToken).ConfigureAwait(false);
        }

        var report = signer.Sign(new ErasureReport(
            ErasureReport.CurrentFormat, subject, options.Operator, journal.StartedAt, options.Time.GetUtcNow(), options.DryRun,
            [.. journal.Payloads.OrderBy(p => p.Key, StringComparer.Ordinal)],
            [.. journal.Tables.OrderBy(t => t.Path, StringComparer.Ordinal)],
            [.. journal.JobFiles.OrderBy(f => f.Key, StringComparer.Ordinal)],
            [.. journal.NeedRebuild.Order(StringComparer.Ordinal)],
            [.. s_notes, .. options.Participants.Select(p => $"job state: {p.Name} erased by its owner (under {string.Join(", ", p.Prefixes)})")],
            null));
        if (options.DryRun)
        {
            return (report, null);
        }

        context.Report("report", subject[..16], 0, 1);
        var stamp = report.CompletedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
        var bytes = ErasureReportSigner.Serialize(report);
        var key = $"{PatientErasure.ReportsPrefix}{subject}/{stamp}.json";
        for (var n = 1; !await lake.PutIfAbsentAsync(key, bytes, cancellationToken).ConfigureAwait(false); n++)
        {
            key = $"{PatientErasure.ReportsPrefix}{subject}/{stamp}-{n}.json";
        }
        await ErasureLedger.RecordAsync(lake, report, key, options.Time, cancellationToken).ConfigureAwait(false);
        await lake.DeleteAsync(_journalKey, cancellationToken).ConfigureAwait(false);
        context.Report("report", key, 1, 1);
        return (report, key);
    }

    /// <summary>Every Delta table under <c>tables/</c>, at any depth, in path order.</summary>
    private async Task<List<string>> FindTablesAsync(CancellationToken cancellationToken)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var path in DeltaTable.ListTablesAsync(lake, LakeLayout.Tables, nested: true, cancellationToken).ConfigureAwait(false))
        {
            paths.Add(path);
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
        await foreach (var row in snapshot.ReadRowsAsync(["resource_type", "id", "patient_id", "raw_key"], cancellationToken).ConfigureAwait(false))
        {
            var key = row[type] + "/" + row[id];
            if (string.Equals(row[patient] as string, patientId, StringComparison.Ordinal) || string.Equals(key, "Patient/" + patientId, StringComparison.Ordinal))
            {
                keys.Add(key);
                _context.Candidates.Add((string)row[raw]!);
            }
            else if (row[patient] is null)
            {
                unowned.Add((key, (string)row[raw]!));
            }
        }

        foreach (var (_, payload) in unowned.Where(u => keys.Contains(u.Key)))
        {
            _context.Candidates.Add(payload);
        }

        return keys;
    }
}
