using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Log;

/// <summary>
/// Spark's classic checkpoint schema (one top-level column per action type) and the mapping between its rows and
/// actions, used to read and to write checkpoints.
/// </summary>
internal static class CheckpointSchema
{
    private static readonly MapType s_stringMap = new(PrimitiveType.String, PrimitiveType.String);

    private static readonly StructType s_deletionVector = new(
        new StructField("storageType", PrimitiveType.String),
        new StructField("pathOrInlineDv", PrimitiveType.String),
        new StructField("offset", PrimitiveType.Integer),
        new StructField("sizeInBytes", PrimitiveType.Integer),
        new StructField("cardinality", PrimitiveType.Long));

    public static StructType Schema { get; } = new(
        new StructField("txn", new StructType(
            new StructField("appId", PrimitiveType.String),
            new StructField("version", PrimitiveType.Long),
            new StructField("lastUpdated", PrimitiveType.Long))),
        new StructField("add", new StructType(
            new StructField("path", PrimitiveType.String),
            new StructField("partitionValues", s_stringMap),
            new StructField("size", PrimitiveType.Long),
            new StructField("modificationTime", PrimitiveType.Long),
            new StructField("dataChange", PrimitiveType.Boolean),
            new StructField("tags", s_stringMap),
            new StructField("deletionVector", s_deletionVector),
            new StructField("baseRowId", PrimitiveType.Long),
            new StructField("defaultRowCommitVersion", PrimitiveType.Long),
            new StructField("stats", PrimitiveType.String))),
        new StructField("remove", new StructType(
            new StructField("path", PrimitiveType.String),
            new StructField("deletionTimestamp", PrimitiveType.Long),
            new StructField("dataChange", PrimitiveType.Boolean),
            new StructField("extendedFileMetadata", PrimitiveType.Boolean),
            new StructField("partitionValues", s_stringMap),
            new StructField("size", PrimitiveType.Long),
            new StructField("tags", s_stringMap),
            new StructField("deletionVector", s_deletionVector))),
        new StructField("metaData", new StructType(
            new StructField("id", PrimitiveType.String),
            new StructField("name", PrimitiveType.String),
            new StructField("description", PrimitiveType.String),
            new StructField("format", new StructType(
                new StructField("provider", PrimitiveType.String),
                new StructField("options", s_stringMap))),
            new StructField("schemaString", PrimitiveType.String),
            new StructField("partitionColumns", new ArrayType(PrimitiveType.String)),
            new StructField("configuration", s_stringMap),
            new StructField("createdTime", PrimitiveType.Long))),
        new StructField("protocol", new StructType(
            new StructField("minReaderVersion", PrimitiveType.Integer),
            new StructField("minWriterVersion", PrimitiveType.Integer),
            new StructField("readerFeatures", new ArrayType(PrimitiveType.String)),
            new StructField("writerFeatures", new ArrayType(PrimitiveType.String)))),
        new StructField("domainMetadata", new StructType(
            new StructField("domain", PrimitiveType.String),
            new StructField("configuration", PrimitiveType.String),
            new StructField("removed", PrimitiveType.Boolean))));

    /// <summary>The schema to read checkpoints with: <see cref="Schema"/> and the sidecar column of V2 checkpoints.</summary>
    public static StructType ReadSchema { get; } = new([.. Schema.Fields, new StructField("sidecar", new StructType(
        new StructField("path", PrimitiveType.String),
        new StructField("sizeInBytes", PrimitiveType.Long),
        new StructField("modificationTime", PrimitiveType.Long)))]);

    /// <summary>The action one checkpoint row holds, or null for a row of another kind.</summary>
    public static DeltaAction? ToAction(object?[] row)
    {
        if (row[0] is object?[] txn)
        {
            return new SetTransaction((string)txn[0]!, (long)txn[1]!, (long?)txn[2]);
        }

        if (row[1] is object?[] add)
        {
            return new AddFile((string)add[0]!, Map(add[1]) ?? new Dictionary<string, string?>(), (long?)add[2] ?? 0, (long?)add[3] ?? 0,
                (bool?)add[4] ?? false, (string?)add[9], Map(add[5]), Dv(add[6]), (long?)add[7], (long?)add[8]);
        }

        if (row[2] is object?[] remove)
        {
            return new RemoveFile((string)remove[0]!, (long?)remove[1], (bool?)remove[2] ?? false, (bool?)remove[3], Map(remove[4]),
                (long?)remove[5], Map(remove[6]), Dv(remove[7]));
        }

        if (row[3] is object?[] md)
        {
            var format = md[3] is object?[] f
                ? new FileFormat((string?)f[0] ?? "parquet", NonNullMap(f[1]))
                : FileFormat.Parquet;
            return new Metadata((string?)md[0] ?? "", (string?)md[1], (string?)md[2], format, (string)md[4]!,
                ((object?[]?)md[5] ?? []).Select(c => (string)c!).ToList(), NonNullMap(md[6]), (long?)md[7]);
        }

        if (row[4] is object?[] p)
        {
            return new Protocol((int)p[0]!, (int)p[1]!, List(p[2]), List(p[3]));
        }

        if (row[5] is object?[] d)
        {
            return new DomainMetadata((string)d[0]!, (string?)d[1] ?? "", (bool?)d[2] ?? false);
        }

        if (row.Length > 6 && row[6] is object?[] sidecar)
        {
            return new SidecarFile((string)sidecar[0]!, (long?)sidecar[1] ?? 0, (long?)sidecar[2] ?? 0);
        }

        return null;
    }

    /// <summary>The checkpoint row of one action.</summary>
    public static object?[] ToRow(DeltaAction action)
    {
        var row = new object?[6];
        switch (action)
        {
            case SetTransaction t:
                row[0] = new object?[] { t.AppId, t.Version, t.LastUpdated };
                break;
            case AddFile a:
                row[1] = new object?[]
                {
                    a.Path, MapValue(a.PartitionValues), a.Size, a.ModificationTime, a.DataChange, MapValue(a.Tags), DvValue(a.DeletionVector),
                    a.BaseRowId, a.DefaultRowCommitVersion, a.Stats,
                };
                break;
            case RemoveFile r:
                row[2] = new object?[]
                {
                    r.Path, r.DeletionTimestamp, r.DataChange, r.ExtendedFileMetadata, MapValue(r.PartitionValues), r.Size, MapValue(r.Tags),
                    DvValue(r.DeletionVector),
                };
                break;
            case Metadata m:
                row[3] = new object?[]
                {
                    m.Id, m.Name, m.Description,
                    new object?[] { m.Format.Provider, MapValue(m.Format.Options.ToDictionary(kv => kv.Key, kv => (string?)kv.Value)) },
                    m.SchemaString, m.PartitionColumns.Cast<object?>().ToArray(),
                    MapValue(m.Configuration.ToDictionary(kv => kv.Key, kv => (string?)kv.Value)), m.CreatedTime,
                };
                break;
            case Protocol p:
                row[4] = new object?[]
                {
                    p.MinReaderVersion, p.MinWriterVersion, p.ReaderFeatures?.Cast<object?>().ToArray(), p.WriterFeatures?.Cast<object?>().ToArray(),
                };
                break;
            case DomainMetadata d:
                row[5] = new object?[] { d.Domain, d.Configuration, d.Removed };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "This action does not go into a checkpoint.");
        }

        return row;
    }

    private static Dictionary<string, string?>? Map(object? value)
    {
        if (value is not KeyValuePair<object, object?>[] entries)
        {
            return null;
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (k, v) in entries)
        {
            map[(string)k] = (string?)v;
        }

        return map;
    }

    private static Dictionary<string, string> NonNullMap(object? value) =>
        (Map(value) ?? []).ToDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal);

    private static List<string>? List(object? value) => value is object?[] items ? items.Select(i => (string)i!).ToList() : null;

    private static DeletionVectorDescriptor? Dv(object? value) =>
        value is object?[] dv
            ? new DeletionVectorDescriptor((string)dv[0]!, (string)dv[1]!, (int?)dv[2], (int?)dv[3] ?? 0, (long?)dv[4] ?? 0)
            : null;

    private static KeyValuePair<object, object?>[]? MapValue(IReadOnlyDictionary<string, string?>? map) =>
        map?.Select(kv => new KeyValuePair<object, object?>(kv.Key, kv.Value)).ToArray();

    private static object?[]? DvValue(DeletionVectorDescriptor? dv) =>
        dv is null ? null : [dv.StorageType, dv.PathOrInlineDv, dv.Offset, dv.SizeInBytes, dv.Cardinality];
}
