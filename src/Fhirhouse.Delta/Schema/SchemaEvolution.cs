using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Transactions;

namespace Fhirhouse.Delta.Schema;

/// <summary>Schema evolution: committing a schema that appends nullable columns (see <see cref="DeltaTable.EvolveSchemaAsync"/>).</summary>
internal static class SchemaEvolution
{
    public static async Task<CommitResult> EvolveAsync(DeltaTable table, StructType newSchema, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        var current = snapshot.Schema;
        if (newSchema.Fields.Count < current.Fields.Count)
        {
            throw new ArgumentException($"The new schema of '{table.Path}' drops columns; only adding nullable columns is supported.", nameof(newSchema));
        }

        for (var i = 0; i < newSchema.Fields.Count; i++)
        {
            var field = newSchema.Fields[i];
            if (i < current.Fields.Count)
            {
                var old = current.Fields[i];
                if (old.Name != field.Name || old.Type != field.Type || old.Nullable != field.Nullable)
                {
                    throw new ArgumentException($"Column '{old.Name}' ({old.Type}) of '{table.Path}' would change to '{field.Name}' ({field.Type}); existing columns must stay as they are.", nameof(newSchema));
                }
            }
            else if (!field.Nullable || current.IndexOf(field.Name) >= 0)
            {
                throw new ArgumentException($"Added column '{field.Name}' must be nullable and new in '{table.Path}'.", nameof(newSchema));
            }
        }

        if (newSchema.Fields.Count == current.Fields.Count)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var transaction = new Transaction(table, snapshot, "ADD COLUMNS");
        transaction.Parameters["columns"] = string.Join(",", newSchema.Fields.Skip(current.Fields.Count).Select(f => f.Name));
        transaction.Add(snapshot.Metadata with { SchemaString = SchemaJson.Serialize(newSchema) });
        var version = await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CommitResult(version, false, 0, 0);
    }
}
