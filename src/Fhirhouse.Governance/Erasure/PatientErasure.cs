using Fhirhouse.Lake.Erasure;
using Fhirhouse.Lake;
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
using Fhirhouse.Lake.Tables;
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
    public const string Prefix = LakeLayout.Erasure;

    /// <summary>Where signed reports are stored.</summary>
    public const string ReportsPrefix = Prefix + "reports/";

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
            var run = new ErasureRun(_lake, Signer, patientId, subject, options, progress);
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
}
