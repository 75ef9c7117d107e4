using System.Text.Json;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>
/// Every table of Delta's own connector golden tables (shared/testdata/delta/spark-golden), each pinned to one
/// outcome. The suite ships no expected rows; where a table is the same table as a kernel-golden case (the same log,
/// Spark's files beside it), it must read exactly that case's <c>expected/</c> rows. The others are pinned to their
/// version, file count and row count, the row count checked against Spark's own <c>numRecords</c> statistics.
/// </summary>
public sealed class SparkGoldenTests
{
    /// <summary>Table (folder, or folder/subfolder), the kernel-golden case with the same log and reliable expected rows, and its version.</summary>
    public static TheoryData<string, string, long> OpenedWithKernelRows => new()
    {
        { "124-decimal-decode-bug", "124-decimal-decode-bug", 0 },
        { "125-iterator-bug", "125-iterator-bug", 11 },
        { "basic-decimal-table", "basic-decimal-table", 0 },
        { "basic-decimal-table-legacy", "basic-decimal-table-legacy", 0 },
        { "basic-with-inserts-deletes-checkpoint", "basic-with-inserts-deletes-checkpoint", 13 },
        { "basic-with-inserts-merge", "basic-with-inserts-merge", 1 },
        { "basic-with-inserts-overwrite-restore", "basic-with-inserts-overwrite-restore", 3 },
        { "basic-with-inserts-updates", "basic-with-inserts-updates", 1 },
        { "basic-with-vacuum-protocol-check-feature", "basic-with-vacuum-protocol-check-feature", 1 },
        { "corrupted-last-checkpoint-kernel", "corrupted-last-checkpoint-kernel", 11 },
        { "data-reader-array-complex-objects", "data-reader-array-complex-objects", 0 },
        { "data-reader-array-primitives", "data-reader-array-primitives", 0 },
        { "data-reader-date-types-America/Los_Angeles", "data-reader-date-types-America", 0 },
        { "data-reader-date-types-Asia/Beirut", "data-reader-date-types-Asia", 0 },
        { "data-reader-date-types-Etc/GMT+9", "data-reader-date-types-Etc", 0 },
        { "data-reader-date-types-Iceland", "data-reader-date-types-Iceland", 0 },
        { "data-reader-date-types-JST", "data-reader-date-types-Jst", 0 },
        { "data-reader-date-types-PST", "data-reader-date-types-Pst", 0 },
        { "data-reader-date-types-UTC", "data-reader-date-types-utc", 0 },
        { "data-reader-escaped-chars", "data-reader-escaped-chars", 2 },
        { "data-reader-map", "data-reader-map", 0 },
        { "data-reader-nested-struct", "data-reader-nested-struct", 0 },
        { "data-reader-nullable-field-invalid-schema-key", "data-reader-nullable-field-invalid-schema-key", 0 },
        { "data-reader-primitives", "data-reader-primitives", 0 },
        { "data-reader-timestamp_ntz", "data-reader-timestamp_ntz", 1 },
        { "data-reader-timestamp_ntz-id-mode", "data-reader-timestamp_ntz-id-mode", 1 },
        { "data-reader-timestamp_ntz-name-mode", "data-reader-timestamp_ntz-name-mode", 1 },
        { "data-skipping-basic-stats-all-types", "data-skipping-basic-stats-all-types", 0 },
        { "data-skipping-basic-stats-all-types-checkpoint", "data-skipping-basic-stats-all-types-checkpoint", 0 },
        { "data-skipping-basic-stats-all-types-columnmapping-id", "data-skipping-basic-stats-all-types-columnmapping-id", 0 },
        { "data-skipping-basic-stats-all-types-columnmapping-name", "data-skipping-basic-stats-all-types-columnmapping-name", 0 },
        { "data-skipping-change-stats-collected-across-versions", "data-skipping-change-stats-collected-across-versions", 4 },
        { "data-skipping-partition-and-data-column", "data-skipping-partition-and-data-column", 3 },
        { "decimal-various-scale-precision", "decimal-various-scale-precision", 0 },
        { "deltalog-getChanges", "deltalog-getChanges", 2 },
        { "dv-partitioned-with-checkpoint", "dv-partitioned-with-checkpoint", 15 },
        { "dv-with-columnmapping", "dv-with-columnmapping", 15 },
        { "kernel-timestamp-INT96", "kernel-timestamp-int96", 0 },
        { "kernel-timestamp-PST", "kernel-timestamp-pst", 0 },
        { "kernel-timestamp-TIMESTAMP_MICROS", "kernel-timestamp-timestamp_micros", 0 },
        { "kernel-timestamp-TIMESTAMP_MILLIS", "kernel-timestamp-timestamp_millis", 0 },
        { "log-replay-dv-key-cases", "log-replay-dv-key-cases", 3 },
        { "log-replay-latest-metadata-protocol", "log-replay-latest-metadata-protocol", 2 },
        { "log-replay-special-characters", "log-replay-special-characters", 1 },
        { "log-replay-special-characters-a", "log-replay-special-characters-a", 1 },
        { "multi-part-checkpoint", "multi-part-checkpoint", 1 },
        { "only-checkpoint-files", "only-checkpoint-files", 2 },
        { "parquet-decimal-dictionaries", "parquet-decimal-dictionaries", 0 },
        { "parquet-decimal-dictionaries-v2", "parquet-decimal-dictionaries-v2", 0 },
        { "parquet-decimal-type", "parquet-decimal-type", 0 },
        { "snapshot-data0", "snapshot-data0", 0 },
        { "snapshot-data1", "snapshot-data1", 1 },
        { "snapshot-data2", "snapshot-data2", 2 },
        { "snapshot-data2-deleted", "snapshot-data2-deleted", 4 },
        { "snapshot-data3", "snapshot-data3", 3 },
        { "snapshot-repartitioned", "snapshot-repartitioned", 5 },
        { "snapshot-vacuumed", "snapshot-vacuumed", 5 },
        { "time-travel-partition-changes-a", "time-travel-partition-changes-a", 0 },
        { "time-travel-partition-changes-b", "time-travel-partition-changes-b", 1 },
        { "time-travel-schema-changes-a", "time-travel-schema-changes-a", 0 },
        { "time-travel-schema-changes-b", "time-travel-schema-changes-b", 1 },
        { "time-travel-start", "time-travel-start", 0 },
        { "time-travel-start-start20", "time-travel-start-start20", 1 },
        { "time-travel-start-start20-start40", "time-travel-start-start20-start40", 2 },
        { "v2-checkpoint-json", "v2-checkpoint-json", 2 },
        { "v2-checkpoint-parquet", "v2-checkpoint-parquet", 2 },
    };

    /// <summary>Tables with every data file present but no expected rows in either suite: version, files, rows.</summary>
    public static TheoryData<string, long, int, int> OpenedWithRowCount => new()
    {
        { "canonicalized-paths-normal-a", 1, 0, 0 },
        { "canonicalized-paths-normal-b", 1, 0, 0 },
        { "canonicalized-paths-special-a", 1, 0, 0 },
        { "canonicalized-paths-special-b", 1, 0, 0 },
        { "collations-preview-table", 0, 0, 0 },
        { "collations-table", 0, 0, 0 },
        { "commit-info-containing-arbitrary-operationParams-types", 2, 2, 2 },
        { "data-reader-partition-values", 0, 3, 3 },
        { "hive/deltatbl-column-names-case-insensitive", 0, 4, 10 },
        { "hive/deltatbl-deleted-path", 0, 2, 10 },
        { "hive/deltatbl-incorrect-format-config", 0, 2, 10 },
        { "hive/deltatbl-map-types-correctly", 0, 1, 1 },
        { "hive/deltatbl-non-partitioned", 0, 2, 10 },
        { "hive/deltatbl-not-allow-write", 0, 2, 10 },
        { "hive/deltatbl-partition-prune", 0, 5, 5 },
        { "hive/deltatbl-partitioned", 0, 4, 10 },
        { "hive/deltatbl-schema-match", 0, 4, 10 },
        { "hive/deltatbl-special-chars-in-partition-column", 0, 4, 10 },
        { "hive/deltatbl-touch-files-needed-for-partitioned", 0, 4, 10 },
        { "kernel-timestamp-partition-col-ISO8601", 0, 2, 2 },
        { "parquet-all-types", 0, 1, 200 },
        { "parquet-all-types-legacy-format", 0, 1, 200 },
        { "table-with-columnmapping-mode-id", 0, 2, 6 },
        { "table-with-columnmapping-mode-name", 0, 2, 6 },
        { "table-with-icebegCompatV2Enabled", 0, 2, 6 },
    };

    /// <summary>Tables whose add actions name files never written (the log is the test): version and files of the replay.</summary>
    public static TheoryData<string, long, int> ReplayedLogOnly => new()
    {
        { "checkpoint", 14, 1 },
        { "corrupted-last-checkpoint", 10, 11 },
        { "delete-re-add-same-file-different-transactions", 3, 2 },
        { "deltalog-commit-info", 0, 1 },
        { "log-replay-special-characters-b", 0, 1 },
        { "parquet-decimal-dictionaries-v1", 0, 1 },
        { "update-deleted-directory", 0, 10 },
    };

    /// <summary>Tables needing a reader feature we do not implement, refused by its name before a row is read.</summary>
    public static TheoryData<string, string> RefusedByFeature => new()
    {
        { "deltalog-invalid-protocol-version", "readerVersion 99" },
        { "spark-variant-checkpoint", "variantType-preview" },
        { "type-widening", "typeWidening-preview" },
        { "type-widening-nested", "typeWidening-preview" },
    };

    /// <summary>Logs broken on purpose (the same names as kernel-golden's must-fail list), rejected with the reason.</summary>
    public static TheoryData<string, string> RejectedAsInvalid => new()
    {
        { "data-reader-absolute-paths-escaped-chars", "the log has no metaData action" },
        { "deltalog-state-reconstruction-from-checkpoint-missing-metadata", "the log has no metaData action" },
        { "deltalog-state-reconstruction-from-checkpoint-missing-protocol", "the log has no protocol action" },
        { "deltalog-state-reconstruction-without-metadata", "the log has no metaData action" },
        { "deltalog-state-reconstruction-without-protocol", "the log has no protocol action" },
        { "versions-not-contiguous", "versions are not contiguous: commit 1 is missing" },
    };

    /// <summary>Folders without a <c>_delta_log</c>.</summary>
    public static TheoryData<string> NotATable => new() { "log-store-listFrom", "log-store-read", "no-delta-log-folder" };

    private static string Root => RepoPaths.TestData("delta", "spark-golden");

    [Theory]
    [MemberData(nameof(OpenedWithKernelRows))]
    public async Task Spark_golden_table_reads_exactly_the_rows_of_the_same_kernel_golden_table(string table, string kernelCase, long version)
    {
        var snapshot = await (await OpenAsync(table)).GetSnapshotAsync();

        Assert.Equal(version, snapshot.Version);
        await GoldenRows.AssertExpectedAsync(kernelCase, snapshot.Schema, await GoldenRows.ReadAsync(snapshot));
    }

    [Theory]
    [MemberData(nameof(OpenedWithRowCount))]
    public async Task Spark_golden_table_opens_at_its_version_with_its_files_and_rows(string table, long version, int files, int rows)
    {
        var store = new LocalObjectStore(Root);
        var snapshot = await (await DeltaTable.OpenAsync(store, table)).GetSnapshotAsync();
        Assert.True(await AllFilesExistAsync(store, snapshot));

        var read = await GoldenRows.ReadAsync(snapshot);

        Assert.Equal((version, files, rows), (snapshot.Version, snapshot.Files.Count, read.Count));
        if (SparkRecordCount(snapshot) is { } recorded)
        {
            Assert.Equal(recorded, read.Count);
        }
    }

    [Theory]
    [MemberData(nameof(ReplayedLogOnly))]
    public async Task Spark_golden_log_only_table_replays_to_its_version_and_files(string table, long version, int files)
    {
        var store = new LocalObjectStore(Root);
        var snapshot = await (await DeltaTable.OpenAsync(store, table)).GetSnapshotAsync();

        Assert.Equal((version, files), (snapshot.Version, snapshot.Files.Count));
        Assert.False(await AllFilesExistAsync(store, snapshot));
    }

    [Theory]
    [MemberData(nameof(RefusedByFeature))]
    public async Task Spark_golden_table_is_refused_with_the_feature_it_needs(string table, string feature)
    {
        var error = await Assert.ThrowsAsync<UnsupportedTableFeatureException>(() => OpenAndReadAsync(table));

        Assert.Equal(feature, error.Feature);
    }

    [Theory]
    [MemberData(nameof(RejectedAsInvalid))]
    public async Task Spark_golden_invalid_log_is_rejected_with_the_reason(string table, string reason)
    {
        var error = await Assert.ThrowsAsync<DeltaProtocolException>(() => OpenAndReadAsync(table));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NotATable))]
    public async Task Spark_golden_folder_without_a_log_is_not_a_table(string folder)
    {
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => OpenAndReadAsync(folder));
    }

    [Fact]
    public void Every_spark_golden_table_and_folder_is_pinned_to_exactly_one_outcome()
    {
        var pinned = OpenedWithKernelRows.Select(r => (string)r[0])
            .Concat(OpenedWithRowCount.Select(r => (string)r[0]))
            .Concat(ReplayedLogOnly.Select(r => (string)r[0]))
            .Concat(RefusedByFeature.Select(r => (string)r[0]))
            .Concat(RejectedAsInvalid.Select(r => (string)r[0]))
            .Concat(((IEnumerable<object[]>)NotATable).Select(r => (string)r[0]))
            .Order(StringComparer.Ordinal)
            .ToList();
        var tables = Directory.GetDirectories(Root, "_delta_log", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(Root, Path.GetDirectoryName(d)!).Replace(Path.DirectorySeparatorChar, '/'));
        var folders = Directory.GetDirectories(Root)
            .Where(d => Directory.GetDirectories(d, "_delta_log", SearchOption.AllDirectories).Length == 0 && !Directory.Exists(Path.Combine(d, "_delta_log")))
            .Select(d => Path.GetFileName(d));

        Assert.Equal(tables.Concat(folders).Order(StringComparer.Ordinal).ToList(), pinned);
    }

    /// <summary>The rows Spark recorded for the snapshot's files (numRecords less deletion-vector cardinality); null when a file has no statistics.</summary>
    private static long? SparkRecordCount(Snapshot snapshot)
    {
        long total = 0;
        foreach (var file in snapshot.Files)
        {
            if (file.Stats is null)
            {
                return null;
            }

            using var stats = JsonDocument.Parse(file.Stats);
            if (!stats.RootElement.TryGetProperty("numRecords", out var records))
            {
                return null;
            }

            total += records.GetInt64() - (file.DeletionVector?.Cardinality ?? 0);
        }

        return total;
    }

    private static Task<DeltaTable> OpenAsync(string table) => DeltaTable.OpenAsync(new LocalObjectStore(Root), table);

    private static async Task OpenAndReadAsync(string table)
    {
        var snapshot = await (await OpenAsync(table)).GetSnapshotAsync();
        await GoldenRows.ReadAsync(snapshot);
    }

    private static async Task<bool> AllFilesExistAsync(IObjectStore store, Snapshot snapshot)
    {
        foreach (var file in snapshot.Files)
        {
            if (file.Path.Contains(':', StringComparison.Ordinal) || file.Path.StartsWith('/') ||
                !await store.ExistsAsync(Fhirhouse.Delta.Log.DeltaPath.KeyOf(snapshot.TablePath, file.Path)))
            {
                return false;
            }
        }

        return true;
    }
}
