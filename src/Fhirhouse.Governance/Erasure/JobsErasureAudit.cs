using System.Globalization;
using System.Text.Json;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// The audit trail the CLI uses until the lake's audit log takes erasures: one JSON object per event under
/// <c>jobs/erasure/audit/</c>, written with put-if-absent (an event is never overwritten).
/// </summary>
public sealed class JobsErasureAudit(IObjectStore lake) : IErasureAudit
{
    public const string Prefix = "jobs/erasure/audit/";

    /// <inheritdoc />
    public async Task RecordAsync(ErasureAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(auditEvent, ErasureJson.Options);
        var stamp = auditEvent.At.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
        for (var n = 0; ; n++)
        {
            var key = $"{Prefix}{stamp}-{auditEvent.Subject[..16]}-{auditEvent.Outcome}-{n}.json";
            if (await lake.PutIfAbsentAsync(key, bytes, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }
}
