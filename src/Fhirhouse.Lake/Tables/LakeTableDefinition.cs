using Fhirhouse.Lake;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Tables;

/// <summary>
/// One table of the lake, declared once: its qualified name (<c>zone.table</c>, the name SQL, the <c>table</c>
/// commands, the policies and erasure use), its folder, its Delta schema, partition columns and table properties.
/// Opening it creates it on first use; a concurrent creator wins without error.
/// </summary>
public sealed record LakeTableDefinition
{
    public LakeTableDefinition(string name, string path, StructType schema, IReadOnlyList<string>? partitionColumns = null, IReadOnlyDictionary<string, string>? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == name.Length - 1 || name.IndexOf('.', dot + 1) >= 0)
        {
            throw new ArgumentException($"A lake table is named 'zone.table' (got '{name}').", nameof(name));
        }

        if (!path.StartsWith(LakeLayout.Tables, StringComparison.Ordinal) || path.EndsWith('/'))
        {
            throw new ArgumentException($"A lake table lives in a folder under '{LakeLayout.Tables}' (got '{path}').", nameof(path));
        }

        foreach (var column in partitionColumns ?? [])
        {
            if (schema.IndexOf(column) < 0)
            {
                throw new ArgumentException($"Table '{name}': the partition column '{column}' is not in its schema.", nameof(partitionColumns));
            }
        }

        Name = name;
        Path = path;
        Schema = schema;
        PartitionColumns = partitionColumns ?? [];
        Configuration = configuration ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The qualified name, <c>zone.table</c>.</summary>
    public string Name { get; }

    /// <summary>The zone, the part of <see cref="Name"/> before the dot (<c>bronze</c>, <c>views</c>, <c>gold</c> ...).</summary>
    public string Zone => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The short name, the part of <see cref="Name"/> after the dot.</summary>
    public string ShortName => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>The table's folder in the lake.</summary>
    public string Path { get; }

    public StructType Schema { get; }

    public IReadOnlyList<string> PartitionColumns { get; }

    /// <summary>Delta table properties set at creation (for example <c>delta.enableChangeDataFeed</c>).</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>Opens the table, creating it on first use.</summary>
    public async Task<DeltaTable> OpenOrCreateAsync(IObjectStore store, DeltaTableOptions options, CancellationToken cancellationToken = default)
    {
        if (await DeltaTable.ExistsAsync(store, Path, cancellationToken).ConfigureAwait(false))
        {
            return await DeltaTable.OpenAsync(store, Path, options, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await DeltaTable.CreateAsync(store, Path, Schema, PartitionColumns, Configuration, options, cancellationToken).ConfigureAwait(false);
        }
        catch (CommitConflictException)
        {
            return await DeltaTable.OpenAsync(store, Path, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the table, or null when nothing was ever written to it.</summary>
    public async Task<DeltaTable?> OpenIfExistsAsync(IObjectStore store, DeltaTableOptions? options = null, CancellationToken cancellationToken = default) =>
        await DeltaTable.ExistsAsync(store, Path, cancellationToken).ConfigureAwait(false)
            ? await DeltaTable.OpenAsync(store, Path, options, cancellationToken).ConfigureAwait(false)
            : null;
}
