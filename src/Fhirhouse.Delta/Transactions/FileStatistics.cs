using System.Text.Json;

namespace Fhirhouse.Delta.Transactions;

/// <summary>Reading the per-file stats JSON of an add action.</summary>
internal static class FileStatistics
{
    /// <summary>numRecords from the stats JSON, or null when absent.</summary>
    public static long? NumRecords(string? stats)
    {
        if (string.IsNullOrEmpty(stats))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(stats);
        return doc.RootElement.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
    }
}
