using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Scan;

namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// Reads bronze's data files by column with Delta's <see cref="ColumnarFileReader"/>: <see cref="ReadCurrentAsync"/> finds the current
/// version of every resource from the small columns only (the JSON is not read), and <see cref="ReadResourcesAsync"/>
/// then hands the JSON of chosen rows of one file to a callback as UTF-8, never as .NET strings and never all at once.
/// </summary>
public static class BronzeScan
{
    /// <summary>Where a bronze row is: the snapshot's file and the row's position in it.</summary>
    public readonly record struct Location(int File, long Row);

    /// <summary>
    /// The current row (without its JSON) of every resource of the snapshot (of <paramref name="resourceType"/> only,
    /// when given: the other partitions' files are not read), keyed by "Type/id", with where it is. The files are read
    /// in two halves at once; on a tie of the version order the row of the earlier file is kept.
    /// </summary>
    public static async Task<Dictionary<string, (BronzeRow Row, Location At)>> ReadCurrentAsync(
        DeltaTable table, Snapshot snapshot, string? resourceType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(snapshot);
        var scanFiles = snapshot.ScanFiles();
        var files = Enumerable.Range(0, scanFiles.Count)
            .Where(f => resourceType is null || string.Equals(TypeOf(scanFiles[f], table), resourceType, StringComparison.Ordinal))
            .ToList();
        // The map that receives the other half is sized for all the rows at once (no rehash while merging).
        var rows = (int)Math.Min(int.MaxValue / 2, files.Sum(f => snapshot.Files[f].NumRecords ?? 0));
        if (files.Count < 4)
        {
            return await ReadCurrentAsync(table, snapshot, files, rows, cancellationToken).ConfigureAwait(false);
        }

        var half = files.Count / 2;
        var later = Task.Run(() => ReadCurrentAsync(table, snapshot, files[half..], 0, cancellationToken), cancellationToken);
        var current = await ReadCurrentAsync(table, snapshot, files[..half], rows, cancellationToken).ConfigureAwait(false);
        var second = await later.ConfigureAwait(false);
        foreach (var (key, candidate) in second)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(current, key, out var exists);
            if (!exists || BronzeTable.IsNewer(candidate.Row, entry.Row))
            {
                entry = candidate;
            }
        }

        return current;
    }

    private static async Task<Dictionary<string, (BronzeRow Row, Location At)>> ReadCurrentAsync(
        DeltaTable table, Snapshot snapshot, List<int> files, int capacity, CancellationToken cancellationToken)
    {
        var scanFiles = snapshot.ScanFiles();
        capacity = Math.Max(capacity, (int)Math.Min(int.MaxValue / 2, files.Sum(f => snapshot.Files[f].NumRecords ?? 0)));
        var current = new Dictionary<string, (BronzeRow Row, Location At)>(capacity, StringComparer.Ordinal);
        var rawKeysSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var file = scanFiles[f];
            var type = TypeOf(file, table);
            // Ranged: only the small columns' chunks are read and decrypted (not the JSON).
            var reader = await ColumnarFileReader.OpenAsync(table.Store, file, ColumnarReadMode.Ranged, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                long offset = 0;
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var rows = reader.RowGroupRows(g);
                    var ids = await reader.ReadStringsAsync(g, "id", cancellationToken).ConfigureAwait(false);
                    var versions = await reader.ReadStringsAsync(g, "version_id", cancellationToken).ConfigureAwait(false);
                    var updated = await reader.ReadTimestampsAsync(g, "last_updated", cancellationToken).ConfigureAwait(false);
                    var deleted = await reader.ReadValuesAsync<bool>(g, "deleted", cancellationToken).ConfigureAwait(false);
                    var ingested = await reader.ReadTimestampsAsync(g, "ingested_at", cancellationToken).ConfigureAwait(false);
                    var rawKeys = await reader.ReadStringsAsync(g, "raw_key", cancellationToken).ConfigureAwait(false);
                    var patients = await reader.ReadStringsAsync(g, "patient_id", cancellationToken).ConfigureAwait(false);
                    var lines = await reader.ReadValuesAsync<long>(g, "raw_line", cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < rows; r++)
                    {
                        var row = new BronzeRow(type, ids[r]!, versions[r], updated[r], deleted[r], patients[r], "", Intern(rawKeysSeen, rawKeys[r]!), lines[r], null, ingested[r]!.Value, null);
                        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(current, string.Concat(type, "/", row.Id), out var exists);
                        if (!exists || BronzeTable.IsNewer(row, entry.Row))
                        {
                            entry = (row, new Location(f, offset + r));
                        }
                    }

                    offset += rows;
                }
            }
        }

        return current;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> with the parsed JSON of each row of <paramref name="file"/> whose position is a key
    /// of <paramref name="rows"/>, with that key's value (rows without JSON, deletions, are skipped).
    /// </summary>
    public static Task ReadResourcesAsync<T>(DeltaTable table, AddFile file, IReadOnlyDictionary<long, T> rows, Action<T, JsonElement> visit, CancellationToken cancellationToken) =>
        ReadResourceBytesAsync(table, file, rows, (T state, ReadOnlyMemory<byte> json) =>
        {
            using var document = JsonDocument.Parse(json);
            visit(state, document.RootElement);
        }, cancellationToken);

    /// <summary>
    /// Calls <paramref name="visit"/> with the JSON bytes (valid only during the call) of each row of
    /// <paramref name="file"/> whose position is a key of <paramref name="rows"/>, with that key's value.
    /// </summary>
    public static async Task ReadResourceBytesAsync<T>(DeltaTable table, AddFile file, IReadOnlyDictionary<long, T> rows, Action<T, ReadOnlyMemory<byte>> visit, CancellationToken cancellationToken)
    {
        // Whole: the JSON is most of the file, read into native memory once rather than chunk by chunk.
        var reader = await ColumnarFileReader.OpenAsync(table, file, ColumnarReadMode.Whole, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using (reader.ConfigureAwait(false))
            {
                long offset = 0;
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var groupRows = reader.RowGroupRows(g);
                    var groupOffset = offset;
                    await reader.ForEachUtf8Async(g, "resource", (row, value) =>
                    {
                        if (rows.TryGetValue(groupOffset + row, out var state))
                        {
                            if (buffer.Length < value.Length)
                            {
                                ArrayPool<byte>.Shared.Return(buffer);
                                buffer = ArrayPool<byte>.Shared.Rent(value.Length);
                            }

                            value.CopyTo(buffer);
                            visit(state, buffer.AsMemory(0, value.Length));
                        }
                    }, cancellationToken).ConfigureAwait(false);
                    offset += groupRows;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One string per raw key (a payload holds thousands of rows): the map of a large lake stays small.</summary>
    private static string Intern(Dictionary<string, string> seen, string value)
    {
        if (!seen.TryGetValue(value, out var kept))
        {
            seen[value] = kept = value;
        }

        return kept;
    }

    private static string TypeOf(ScanFile file, DeltaTable table)
    {
        if (file.DeletionVector is not null)
        {
            throw new InvalidDataException($"Bronze file '{file.Key}' of '{table.Path}' has a deletion vector: bronze is written only by Fhirhouse, which writes none.");
        }

        return file.PartitionValues.TryGetValue("resource_type", out var type) && !string.IsNullOrEmpty(type)
            ? type
            : throw new InvalidDataException($"Bronze file '{file.Key}' of '{table.Path}' has no resource_type partition value.");
    }
}
