using Fhirhouse.Delta.Schema;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Delta.Tests;

/// <summary>Schemas, rows and options shared by the writer tests.</summary>
internal static class TestTables
{
    public static readonly StructType People = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
        new StructField("born", PrimitiveType.Date),
        new StructField("seen", PrimitiveType.Timestamp),
        new StructField("city", PrimitiveType.String));

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static DeltaTableOptions Options(TimeProvider clock) => new() { TimeProvider = clock };

    public static object?[] Person(long id, string? city = "Lyon") =>
    [
        id, id % 5 == 0 ? null : $"name-{id}", new DateOnly(1950, 1, 1).AddDays((int)id),
        new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(id * 12345670), city,
    ];

    public static async Task<List<object?[]>> ReadAllAsync(DeltaTable table, long? version = null)
    {
        var snapshot = await table.GetSnapshotAsync(version);
        var rows = new List<object?[]>();
        await foreach (var row in snapshot.ReadRowsAsync())
        {
            rows.Add(row);
        }

        return rows;
    }
}
