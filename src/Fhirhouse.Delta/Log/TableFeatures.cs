using Fhirhouse.Delta.Actions;

namespace Fhirhouse.Delta.Log;

/// <summary>Which reader and writer versions and table features this library implements.</summary>
internal static class TableFeatures
{
    public const string ColumnMapping = "columnMapping";
    public const string DeletionVectors = "deletionVectors";
    public const string TimestampNtz = "timestampNtz";
    public const string ChangeDataFeed = "changeDataFeed";
    public const string AppendOnly = "appendOnly";

    private static readonly HashSet<string> s_reader = new(StringComparer.Ordinal)
    {
        ColumnMapping, DeletionVectors, TimestampNtz, "vacuumProtocolCheck", "v2Checkpoint",
    };

    private static readonly HashSet<string> s_writer = new(StringComparer.Ordinal)
    {
        AppendOnly, "invariants", ChangeDataFeed,
    };

    /// <summary>Throws <see cref="UnsupportedTableFeatureException"/> naming the first reader version or feature we lack.</summary>
    public static void EnsureReadable(Protocol protocol, string tablePath)
    {
        if (protocol.MinReaderVersion > 3 || protocol.MinReaderVersion < 1)
        {
            throw new UnsupportedTableFeatureException($"readerVersion {protocol.MinReaderVersion}", tablePath);
        }

        if (protocol.MinReaderVersion == 3)
        {
            foreach (var feature in protocol.ReaderFeatures ?? [])
            {
                if (!s_reader.Contains(feature))
                {
                    throw new UnsupportedTableFeatureException(feature, tablePath);
                }
            }
        }
    }

    /// <summary>
    /// Throws <see cref="UnsupportedTableFeatureException"/> unless this library may write the table: its protocol, and
    /// no column invariants, CHECK constraints or generated columns (which need SQL expressions we do not evaluate).
    /// </summary>
    public static void EnsureWritable(Protocol protocol, Metadata metadata, string tablePath)
    {
        if (metadata.Configuration.Keys.FirstOrDefault(k => k.StartsWith("delta.constraints.", StringComparison.Ordinal)) is { } constraint)
        {
            throw new UnsupportedTableFeatureException($"checkConstraints ({constraint})", tablePath);
        }

        foreach (var key in FieldMetadataKeys(metadata.Schema))
        {
            if (key is "delta.invariants" or "delta.generationExpression" or "delta.identity.start")
            {
                throw new UnsupportedTableFeatureException(key, tablePath);
            }
        }

        EnsureReadable(protocol, tablePath);
        if (protocol.MinReaderVersion > 1)
        {
            throw new UnsupportedTableFeatureException($"writes to readerVersion {protocol.MinReaderVersion} tables", tablePath);
        }

        if (protocol.MinWriterVersion > 7 || (protocol.MinWriterVersion is > 4 and < 7))
        {
            throw new UnsupportedTableFeatureException($"writerVersion {protocol.MinWriterVersion}", tablePath);
        }

        if (protocol.MinWriterVersion == 7)
        {
            foreach (var feature in protocol.WriterFeatures ?? [])
            {
                if (!s_writer.Contains(feature))
                {
                    throw new UnsupportedTableFeatureException(feature, tablePath);
                }
            }
        }
    }

    /// <summary>True when <c>delta.appendOnly</c> is set: only appends may commit.</summary>
    public static bool IsAppendOnly(Metadata metadata) =>
        metadata.Configuration.TryGetValue("delta.appendOnly", out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> FieldMetadataKeys(Schema.DeltaType type) => type switch
    {
        Schema.StructType s => s.Fields.SelectMany(f => f.Metadata.Keys.Concat(FieldMetadataKeys(f.Type))),
        Schema.ArrayType a => FieldMetadataKeys(a.ElementType),
        Schema.MapType m => FieldMetadataKeys(m.KeyType).Concat(FieldMetadataKeys(m.ValueType)),
        _ => [],
    };
}
