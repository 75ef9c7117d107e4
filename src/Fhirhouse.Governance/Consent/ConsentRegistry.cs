using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Consent;

/// <summary>
/// Which patients consented to a purpose, from the Consent resources in bronze (<c>tables/fhir_resources</c>): the
/// current version of each Consent (bronze's own order, <see cref="BronzeScan"/>: only the Consent partition is read), not deleted, with
/// <c>status = active</c>, <c>provision.type = permit</c>, a provision period not over, and the purpose among
/// <c>provision.purpose</c> or <c>category</c> codes (<c>research</c> also matches v3-ActReason <c>HRESCH</c>,
/// <c>treatment</c> <c>TREAT</c>, <c>operations</c> <c>HOPERAT</c>). Read afresh at every call.
/// </summary>
public sealed class ConsentRegistry(IObjectStore store, TimeProvider time)
{
    private static readonly Dictionary<string, string[]> s_purposeCodes = new(StringComparer.Ordinal)
    {
        ["research"] = ["research", "HRESCH", "RESCH"],
        ["treatment"] = ["treatment", "TREAT"],
        ["operations"] = ["operations", "HOPERAT"],
    };

    /// <summary>The ids (without <c>Patient/</c>) of the patients with an active permit Consent for <paramref name="purpose"/>, sorted.</summary>
    public async Task<IReadOnlyList<string>> PatientsConsentingToAsync(string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (!await DeltaTable.ExistsAsync(store, BronzeTable.TablePath, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        var bronze = await DeltaTable.OpenAsync(store, BronzeTable.TablePath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var snapshot = await bronze.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var current = await BronzeScan.ReadCurrentAsync(bronze, snapshot, "Consent", cancellationToken).ConfigureAwait(false);
        var codes = s_purposeCodes.TryGetValue(purpose, out var known) ? known : [purpose];
        var now = time.GetUtcNow();
        var patients = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var inFile in current.Values.Where(c => !c.Row.Deleted).GroupBy(c => c.At.File))
        {
            await BronzeScan.ReadResourcesAsync(bronze, snapshot.Files[inFile.Key], inFile.ToDictionary(c => c.At.Row, c => c.Row), (row, consent) =>
            {
                if (Permits(consent, codes, now) && (row.PatientId ?? PatientOf(consent)) is { Length: > 0 } patient)
                {
                    patients.Add(patient);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        return [.. patients];
    }

    private static bool Permits(JsonElement consent, string[] codes, DateTimeOffset now)
    {
        if (Text(consent, "status") != "active" || !consent.TryGetProperty("provision", out var provision) || Text(provision, "type") != "permit")
        {
            return false;
        }

        if (provision.TryGetProperty("period", out var period) && Text(period, "end") is { } end
            && DateTimeOffset.TryParse(end, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var until) && until < now)
        {
            return false;
        }

        return Codes(provision, "purpose").Concat(consent.TryGetProperty("category", out var categories) && categories.ValueKind == JsonValueKind.Array
                ? categories.EnumerateArray().SelectMany(c => Codes(c, "coding"))
                : [])
            .Any(code => codes.Contains(code, StringComparer.Ordinal));
    }

    private static IEnumerable<string> Codes(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(c => Text(c, "code")).OfType<string>().ToList()
            : [];

    private static string? PatientOf(JsonElement consent) =>
        consent.TryGetProperty("patient", out var patient) && Text(patient, "reference") is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal)
            ? reference["Patient/".Length..]
            : null;

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
