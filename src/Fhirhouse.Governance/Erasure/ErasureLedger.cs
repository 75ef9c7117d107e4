using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// The erasure ledger, <c>governance.erasure_ledger</c>: one row per completed erasure (the subject's keyed hash, when,
/// by whom, the report's key), never a patient id. Restoring objects from a backup taken before an erasure brings the
/// patient back; the ledger is how <c>lake verify</c> sees it (<see cref="FindReappearedAsync"/>) and how
/// <c>forget --reapply</c> erases them again. Keep the ledger out of restores (docs/erasure.md).
/// </summary>
public static class ErasureLedger
{
    public const string TablePath = LakeLayout.Tables + "erasure_ledger";

    /// <summary>The ledger's columns, in row order.</summary>
    public static StructType Schema { get; } = new(
    [
        new StructField("subject_hash", PrimitiveType.String, Nullable: false),
        new StructField("erased_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("operator", PrimitiveType.String, Nullable: false),
        new StructField("report_key", PrimitiveType.String, Nullable: false),
    ]);

    /// <summary>The ledger as declared to the lake.</summary>
    public static LakeTableDefinition Definition { get; } = new("governance.erasure_ledger", TablePath, Schema);

    /// <summary>
    /// Records a completed erasure: always the first of a subject (even when nothing of theirs was found: the request
    /// stands, and their data arriving later is reported too), and each later one that removed something.
    /// </summary>
    internal static async Task RecordAsync(IObjectStore lake, ErasureReport report, string reportKey, TimeProvider time, CancellationToken cancellationToken)
    {
        if (report.NothingFound && (await SubjectsAsync(lake, cancellationToken).ConfigureAwait(false)).ContainsKey(report.Subject))
        {
            return;
        }

        var table = await Definition.OpenOrCreateAsync(lake, new DeltaTableOptions { TimeProvider = time }, cancellationToken).ConfigureAwait(false);
        await table.AppendAsync([[report.Subject, report.CompletedAt, report.Operator, reportKey]], cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The subjects the ledger holds, with the time of their latest erasure.</summary>
    public static async Task<IReadOnlyDictionary<string, DateTimeOffset>> SubjectsAsync(IObjectStore lake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var subjects = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (await Definition.OpenIfExistsAsync(lake, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return subjects;
        }

        await foreach (var row in (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).ReadRowsAsync(["subject_hash", "erased_at"], cancellationToken).ConfigureAwait(false))
        {
            var (subject, at) = ((string)row[0]!, (DateTimeOffset)row[1]!);
            subjects[subject] = subjects.TryGetValue(subject, out var known) && known > at ? known : at;
        }

        return subjects;
    }

    /// <summary>
    /// Erased subjects whose resources are in bronze again (a restore from a backup taken before their erasure): each
    /// with the patient id it stands for (kept in memory only, for <c>forget --reapply</c>), the bronze rows that are
    /// theirs, and when they were erased. Reads bronze's identifying columns only.
    /// </summary>
    public static async Task<IReadOnlyList<ReappearedSubject>> FindReappearedAsync(IObjectStore lake, PatientErasure erasure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(erasure);
        var erased = await SubjectsAsync(lake, cancellationToken).ConfigureAwait(false);
        if (erased.Count == 0 || !await DeltaTable.ExistsAsync(lake, BronzeTable.TablePath, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var bronze = await DeltaTable.OpenAsync(lake, BronzeTable.TablePath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var snapshot = await bronze.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        int type = snapshot.Schema.IndexOf("resource_type"), id = snapshot.Schema.IndexOf("id"), patient = snapshot.Schema.IndexOf("patient_id");
        var subjectOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var found = new Dictionary<string, (string PatientId, long Rows)>(StringComparer.Ordinal);
        await foreach (var row in snapshot.ReadRowsAsync(["resource_type", "id", "patient_id"], cancellationToken).ConfigureAwait(false))
        {
            var candidate = row[patient] as string ?? (row[type] as string == "Patient" ? row[id] as string : null);
            if (candidate is null)
            {
                continue;
            }

            if (!subjectOf.TryGetValue(candidate, out var subject))
            {
                var hash = erasure.SubjectOf(candidate);
                subject = erased.ContainsKey(hash) ? hash : null;
                subjectOf[candidate] = subject;
            }

            if (subject is not null)
            {
                found[subject] = (candidate, (found.TryGetValue(subject, out var seen) ? seen.Rows : 0) + 1);
            }
        }

        return [.. found.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new ReappearedSubject(f.Key, f.Value.PatientId, f.Value.Rows, erased[f.Key]))];
    }
}

/// <summary>An erased subject found in bronze again: its keyed hash, the patient id (never printed), the rows, when it was erased.</summary>
public sealed record ReappearedSubject(string Subject, string PatientId, long Rows, DateTimeOffset ErasedAt);
