using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Storage;
using ParquetSharp;

namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// Reads bronze's data files by column, straight from Parquet: <see cref="ReadCurrentAsync"/> finds the current
/// version of every resource from the small columns only (the JSON is not read), and <see cref="ReadResourcesAsync"/>
/// then hands the JSON of chosen rows of one file to a callback as UTF-8, never as .NET strings and never all at once.
/// </summary>
public static class BronzeScan
{
    private const int Batch = 1024;

    /// <summary>What ParquetSharp reads first from the end of a file (Arrow's default footer read).</summary>
    private const int FooterPrefetch = 64 * 1024;

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
        var files = Enumerable.Range(0, snapshot.Files.Count)
            .Where(f => resourceType is null || string.Equals(TypeOf(snapshot.Files[f], table), resourceType, StringComparison.Ordinal))
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
        capacity = Math.Max(capacity, (int)Math.Min(int.MaxValue / 2, files.Sum(f => snapshot.Files[f].NumRecords ?? 0)));
        var current = new Dictionary<string, (BronzeRow Row, Location At)>(capacity, StringComparer.Ordinal);
        var rawKeysSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var file = snapshot.Files[f];
            var type = TypeOf(file, table);
            // Through the store's stream, so that only the small columns' chunks are read and decrypted (not the JSON);
            // ParquetSharp reads synchronously, so what it needs is fetched asynchronously first (ReadAsync below).
            var stream = new PrefetchedReadStream(await table.Store.OpenReadAsync(KeyOf(table, file), cancellationToken).ConfigureAwait(false));
            await using (stream.ConfigureAwait(false))
            {
                await stream.PrefetchTailAsync(FooterPrefetch, cancellationToken).ConfigureAwait(false);
                using var reader = await ReadAsync(stream, () => new ParquetFileReader(stream, leaveOpen: true), cancellationToken).ConfigureAwait(false);
                using var metadata = reader.FileMetaData;
                long offset = 0;
                for (var g = 0; g < metadata.NumRowGroups; g++)
                {
                    using var group = reader.RowGroup(g);
                    var rows = (int)group.MetaData.NumRows;
                    var ids = await ReadAsync(stream, () => Strings(group, metadata, "id", rows), cancellationToken).ConfigureAwait(false);
                    var versions = await ReadAsync(stream, () => Strings(group, metadata, "version_id", rows), cancellationToken).ConfigureAwait(false);
                    var updated = await ReadAsync(stream, () => Times(group, metadata, "last_updated", rows), cancellationToken).ConfigureAwait(false);
                    var deleted = await ReadAsync(stream, () => Column<bool>(group, metadata, "deleted", rows), cancellationToken).ConfigureAwait(false);
                    var ingested = await ReadAsync(stream, () => Times(group, metadata, "ingested_at", rows), cancellationToken).ConfigureAwait(false);
                    var rawKeys = await ReadAsync(stream, () => Strings(group, metadata, "raw_key", rows), cancellationToken).ConfigureAwait(false);
                    var patients = await ReadAsync(stream, () => Strings(group, metadata, "patient_id", rows), cancellationToken).ConfigureAwait(false);
                    var lines = await ReadAsync(stream, () => Column<long>(group, metadata, "raw_line", rows), cancellationToken).ConfigureAwait(false);
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
        var parquet = await OpenAsync(table, file, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using (parquet)
            {
                var reader = parquet.Reader;
                using var metadata = reader.FileMetaData;
                long offset = 0;
                for (var g = 0; g < metadata.NumRowGroups; g++)
                {
                    using var group = reader.RowGroup(g);
                    var groupRows = (int)group.MetaData.NumRows;
                    ForEachValue(group, metadata, "resource", groupRows, (int r, ByteArray value) =>
                    {
                        if (rows.TryGetValue(offset + r, out var state))
                        {
                            if (buffer.Length < value.Length)
                            {
                                ArrayPool<byte>.Shared.Return(buffer);
                                buffer = ArrayPool<byte>.Shared.Rent(value.Length);
                            }

                            Marshal.Copy(value.Pointer, buffer, 0, value.Length);
                            visit(state, buffer.AsMemory(0, value.Length));
                        }
                    });
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

    private static string TypeOf(AddFile file, DeltaTable table)
    {
        if (file.DeletionVector is not null)
        {
            throw new InvalidDataException($"Bronze file '{file.Path}' of '{table.Path}' has a deletion vector: bronze is written only by Fhirhouse, which writes none.");
        }

        return file.PartitionValues.TryGetValue("resource_type", out var type) && type is not null
            ? type
            : throw new InvalidDataException($"Bronze file '{file.Path}' of '{table.Path}' has no resource_type partition value.");
    }

    /// <summary>
    /// Runs a synchronous ParquetSharp read over <paramref name="stream"/>; when it needed bytes the store can only give
    /// asynchronously (S3), they are fetched asynchronously and the read runs again (a column chunk is read whole, so
    /// once per chunk). No thread waits on a task.
    /// </summary>
    private static async Task<T> ReadAsync<T>(PrefetchedReadStream stream, Func<T> read, CancellationToken cancellationToken)
    {
        (long Offset, int Length)? previous = null;
        while (true)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is not OperationCanceledException && stream.TakeMissedRange() is { } missed && missed != previous)
            {
                await stream.PrefetchAsync(missed.Offset, missed.Length, cancellationToken).ConfigureAwait(false);
                previous = missed;
            }
        }
    }

    private static string KeyOf(DeltaTable table, AddFile file) => table.DataFileKey(Uri.UnescapeDataString(file.Path));

    private static Task<NativeParquetFile> OpenAsync(DeltaTable table, AddFile file, CancellationToken cancellationToken) =>
        NativeParquetFile.OpenAsync(table.Store, KeyOf(table, file), cancellationToken);

    private static int ColumnIndex(FileMetaData metadata, string name)
    {
        var index = metadata.Schema.ColumnIndex(name);
        return index >= 0 ? index : throw new InvalidDataException($"A bronze data file has no column '{name}'.");
    }

    private delegate void ValueVisitor<in T>(int row, T value);

    /// <summary>Calls <paramref name="present"/> with the row and physical value of each non-null value of a column, in row order.</summary>
    private static void ForEachValue<T>(RowGroupReader group, FileMetaData metadata, string name, int rows, ValueVisitor<T> present)
        where T : unmanaged
    {
        using var column = (ColumnReader<T>)group.Column(ColumnIndex(metadata, name));
        var levels = new short[Batch];
        var values = new T[Batch];
        var required = column.ColumnDescriptor.MaxDefinitionLevel == 0;
        var row = 0;
        while (column.HasNext && row < rows)
        {
            var read = (int)column.ReadBatch(Math.Min(Batch, rows - row), required ? null : levels, null, values, out _);
            var v = 0;
            for (var i = 0; i < read; i++, row++)
            {
                if (required || levels[i] != 0)
                {
                    present(row, values[v++]);
                }
            }
        }
    }

    /// <summary>
    /// The text values of a column, read as UTF-8 from Parquet; a value equal to the one before it is the same string
    /// (rows of one payload, or of one patient, repeat their raw key and patient id).
    /// </summary>
    private static string?[] Strings(RowGroupReader group, FileMetaData metadata, string name, int rows)
    {
        var result = new string?[rows];
        string? last = null;
        var lastBytes = new byte[256];
        var lastLength = 0;
        ForEachValue(group, metadata, name, rows, (int row, ByteArray value) =>
        {
            var bytes = Span(value);
            if (last is null || !bytes.SequenceEqual(lastBytes.AsSpan(0, lastLength)))
            {
                last = System.Text.Encoding.UTF8.GetString(bytes);
                if (bytes.Length > lastBytes.Length)
                {
                    lastBytes = new byte[bytes.Length * 2];
                }

                bytes.CopyTo(lastBytes);
                lastLength = bytes.Length;
            }

            result[row] = last;
        });
        return result;
    }

    private static unsafe ReadOnlySpan<byte> Span(ByteArray value) => new((void*)value.Pointer, value.Length);

    /// <summary>A timestamp column (microseconds since the epoch, as the writers store it).</summary>
    private static DateTimeOffset?[] Times(RowGroupReader group, FileMetaData metadata, string name, int rows)
    {
        var result = new DateTimeOffset?[rows];
        ForEachValue(group, metadata, name, rows, (int row, long micros) =>
            result[row] = new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero));
        return result;
    }

    private static T[] Column<T>(RowGroupReader group, FileMetaData metadata, string name, int rows)
    {
        using var column = group.Column(ColumnIndex(metadata, name)).LogicalReader<T>();
        return column.ReadAll(rows);
    }
}
