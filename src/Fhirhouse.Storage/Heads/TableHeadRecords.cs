using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Fhirhouse.Storage.Heads;

/// <summary>
/// Head records kept as objects of an authenticating store (the lake's encrypted store: each record is AES-256-GCM
/// sealed under its own data key, wrapped by the lake's key, with its object key and the lake id in its associated
/// data): <c>_heads/TABLE/VERSION.head</c>, one small JSON object per version, the older ones deleted as newer ones land.
/// The newest record is the table's head.
/// </summary>
public sealed class TableHeadRecords(IObjectStore store, bool headsComplete) : ITableHeadStore
{
    /// <summary>The folder of every head record.</summary>
    public const string Prefix = "_heads/";

    private const string RootTable = "_root";
    private const string Extension = ".head";

    public bool KeepsTableHeads => true;

    public bool HeadsComplete => headsComplete;

    public async Task<TableHead?> ReadHeadAsync(string tablePath, CancellationToken cancellationToken = default)
    {
        var folder = FolderOf(tablePath);
        string? newest = null;
        var newestVersion = -1L;
        await foreach (var info in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            if (VersionOf(info.Key, folder) is { } version && version > newestVersion)
            {
                newest = info.Key;
                newestVersion = version;
            }
        }

        if (newest is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = await store.ReadAllBytesAsync(newest, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException)
        {
            // Replaced by a newer record between the listing and the read.
            return await ReadHeadAsync(tablePath, cancellationToken).ConfigureAwait(false);
        }

        var head = JsonSerializer.Deserialize<HeadRecord>(bytes)
            ?? throw new InvalidDataException($"Head record '{newest}' is empty.");
        return head.Version == newestVersion && head.Table == tablePath
            ? new TableHead(head.Version, head.CommitSha256, head.TableId)
            : throw new InvalidDataException($"Head record '{newest}' names table '{head.Table}' version {head.Version}, not its own key.");
    }

    public async Task RecordHeadAsync(string tablePath, TableHead head, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(head);
        var record = new HeadRecord(tablePath, head.Version, head.CommitSha256, head.TableId);
        await store.PutIfAbsentAsync(KeyOf(tablePath, head.Version), JsonSerializer.SerializeToUtf8Bytes(record), cancellationToken).ConfigureAwait(false);
        if (head.Version > 0)
        {
            await store.DeleteAsync(KeyOf(tablePath, head.Version - 1), cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<string> ListTablesWithHeadsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? last = null;
        await foreach (var info in store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var slash = info.Key.LastIndexOf('/');
            if (slash <= Prefix.Length || !info.Key.EndsWith(Extension, StringComparison.Ordinal))
            {
                continue;
            }

            var folder = info.Key[Prefix.Length..slash];
            var table = folder == RootTable ? "" : folder;
            if (table != last)
            {
                last = table;
                yield return table;
            }
        }
    }

    private static string FolderOf(string tablePath) => Prefix + (tablePath.Length == 0 ? RootTable : tablePath) + "/";

    private static string KeyOf(string tablePath, long version) =>
        FolderOf(tablePath) + version.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    private static long? VersionOf(string key, string folder) =>
        key.Length == folder.Length + 20 + Extension.Length && key.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(key.AsSpan(folder.Length, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
}

/// <summary>A head record as stored: the table's own path is inside, so a record moved to another table's folder fails.</summary>
internal sealed record HeadRecord(
    [property: System.Text.Json.Serialization.JsonPropertyName("table")] string Table,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] long Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("commitSha256")] string CommitSha256,
    [property: System.Text.Json.Serialization.JsonPropertyName("tableId")] string TableId);
