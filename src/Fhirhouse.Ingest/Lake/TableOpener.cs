using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;

namespace Fhirhouse.Ingest.Lake;

/// <summary>Opens a table, creating it on first use; a concurrent creator wins without error.</summary>
internal static class TableOpener
{
    public static async Task<DeltaTable> OpenOrCreateAsync(
        IObjectStore store, string path, StructType schema, IReadOnlyList<string> partitionColumns,
        IReadOnlyDictionary<string, string> configuration, DeltaTableOptions options, CancellationToken cancellationToken)
    {
        if (await DeltaTable.ExistsAsync(store, path, cancellationToken).ConfigureAwait(false))
        {
            return await DeltaTable.OpenAsync(store, path, options, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await DeltaTable.CreateAsync(store, path, schema, partitionColumns, configuration, options, cancellationToken).ConfigureAwait(false);
        }
        catch (CommitConflictException)
        {
            return await DeltaTable.OpenAsync(store, path, options, cancellationToken).ConfigureAwait(false);
        }
    }
}
