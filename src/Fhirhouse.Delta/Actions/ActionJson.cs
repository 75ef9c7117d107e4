using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Delta.Actions;

/// <summary>One action per JSON line, as in commit files and JSON checkpoints.</summary>
internal static class ActionJson
{
    /// <summary>
    /// Parses one line. Returns null for actions this library does not act on (checkpointMetadata, unknown keys), as readers must ignore what they do not understand.
    /// </summary>
    public static DeltaAction? Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        foreach (var property in root.EnumerateObject())
        {
            var e = property.Value;
            if (e.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (property.Name)
            {
                case "add":
                    return new AddFile(
                        e.GetProperty("path").GetString()!,
                        StringMap(e, "partitionValues") ?? new Dictionary<string, string?>(),
                        Long(e, "size") ?? 0,
                        Long(e, "modificationTime") ?? 0,
                        Bool(e, "dataChange") ?? true,
                        Str(e, "stats"),
                        StringMap(e, "tags"),
                        Dv(e),
                        Long(e, "baseRowId"),
                        Long(e, "defaultRowCommitVersion"));
                case "remove":
                    return new RemoveFile(
                        e.GetProperty("path").GetString()!,
                        Long(e, "deletionTimestamp"),
                        Bool(e, "dataChange") ?? true,
                        Bool(e, "extendedFileMetadata"),
                        StringMap(e, "partitionValues"),
                        Long(e, "size"),
                        StringMap(e, "tags"),
                        Dv(e));
                case "metaData":
                    return ParseMetadata(e);
                case "protocol":
                    return new Protocol(
                        (int)(Long(e, "minReaderVersion") ?? 1),
                        (int)(Long(e, "minWriterVersion") ?? 2),
                        StringList(e, "readerFeatures"),
                        StringList(e, "writerFeatures"));
                case "txn":
                    return new SetTransaction(e.GetProperty("appId").GetString()!, Long(e, "version") ?? 0, Long(e, "lastUpdated"));
                case "commitInfo":
                    return ParseCommitInfo(e);
                case "cdc":
                    return new AddCdcFile(
                        e.GetProperty("path").GetString()!,
                        StringMap(e, "partitionValues") ?? new Dictionary<string, string?>(),
                        Long(e, "size") ?? 0,
                        Bool(e, "dataChange") ?? false,
                        StringMap(e, "tags"));
                case "sidecar":
                    return new SidecarFile(e.GetProperty("path").GetString()!, Long(e, "sizeInBytes") ?? 0, Long(e, "modificationTime") ?? 0);
                case "domainMetadata":
                    return new DomainMetadata(e.GetProperty("domain").GetString()!, Str(e, "configuration") ?? "", Bool(e, "removed") ?? false);
                default:
                    continue;
            }
        }

        return null;
    }

    /// <summary>The action as one JSON line (without the newline).</summary>
    public static string Serialize(DeltaAction action)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, action);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter w, DeltaAction action)
    {
        w.WriteStartObject();
        switch (action)
        {
            case AddFile a:
                w.WriteStartObject("add");
                w.WriteString("path", a.Path);
                WriteMap(w, "partitionValues", a.PartitionValues);
                w.WriteNumber("size", a.Size);
                w.WriteNumber("modificationTime", a.ModificationTime);
                w.WriteBoolean("dataChange", a.DataChange);
                if (a.Stats is not null)
                {
                    w.WriteString("stats", a.Stats);
                }

                if (a.Tags is not null)
                {
                    WriteMap(w, "tags", a.Tags);
                }

                WriteDv(w, a.DeletionVector);
                w.WriteEndObject();
                break;
            case RemoveFile r:
                w.WriteStartObject("remove");
                w.WriteString("path", r.Path);
                if (r.DeletionTimestamp is { } ts)
                {
                    w.WriteNumber("deletionTimestamp", ts);
                }

                w.WriteBoolean("dataChange", r.DataChange);
                if (r.ExtendedFileMetadata is { } ext)
                {
                    w.WriteBoolean("extendedFileMetadata", ext);
                }

                if (r.PartitionValues is not null)
                {
                    WriteMap(w, "partitionValues", r.PartitionValues);
                }

                if (r.Size is { } size)
                {
                    w.WriteNumber("size", size);
                }

                if (r.Tags is not null)
                {
                    WriteMap(w, "tags", r.Tags);
                }

                WriteDv(w, r.DeletionVector);
                w.WriteEndObject();
                break;
            case Metadata m:
                w.WriteStartObject("metaData");
                w.WriteString("id", m.Id);
                if (m.Name is not null)
                {
                    w.WriteString("name", m.Name);
                }

                if (m.Description is not null)
                {
                    w.WriteString("description", m.Description);
                }

                w.WriteStartObject("format");
                w.WriteString("provider", m.Format.Provider);
                w.WriteStartObject("options");
                foreach (var (k, v) in m.Format.Options)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteString("schemaString", m.SchemaString);
                w.WriteStartArray("partitionColumns");
                foreach (var c in m.PartitionColumns)
                {
                    w.WriteStringValue(c);
                }

                w.WriteEndArray();
                w.WriteStartObject("configuration");
                foreach (var (k, v) in m.Configuration)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
                if (m.CreatedTime is { } created)
                {
                    w.WriteNumber("createdTime", created);
                }

                w.WriteEndObject();
                break;
            case Protocol p:
                w.WriteStartObject("protocol");
                w.WriteNumber("minReaderVersion", p.MinReaderVersion);
                w.WriteNumber("minWriterVersion", p.MinWriterVersion);
                WriteList(w, "readerFeatures", p.ReaderFeatures);
                WriteList(w, "writerFeatures", p.WriterFeatures);
                w.WriteEndObject();
                break;
            case SetTransaction t:
                w.WriteStartObject("txn");
                w.WriteString("appId", t.AppId);
                w.WriteNumber("version", t.Version);
                if (t.LastUpdated is { } lu)
                {
                    w.WriteNumber("lastUpdated", lu);
                }

                w.WriteEndObject();
                break;
            case CommitInfo c:
                w.WriteStartObject("commitInfo");
                if (c.Timestamp is { } cts)
                {
                    w.WriteNumber("timestamp", cts);
                }

                if (c.Operation is not null)
                {
                    w.WriteString("operation", c.Operation);
                }

                if (c.OperationParameters is not null)
                {
                    w.WriteStartObject("operationParameters");
                    foreach (var (k, v) in c.OperationParameters)
                    {
                        w.WriteString(k, v);
                    }

                    w.WriteEndObject();
                }

                if (c.ReadVersion is { } rv)
                {
                    w.WriteNumber("readVersion", rv);
                }

                if (c.IsBlindAppend is { } blind)
                {
                    w.WriteBoolean("isBlindAppend", blind);
                }

                if (c.EngineInfo is not null)
                {
                    w.WriteString("engineInfo", c.EngineInfo);
                }

                if (c.TxnId is not null)
                {
                    w.WriteString("txnId", c.TxnId);
                }

                if (c.PreviousCommitSha256 is not null)
                {
                    w.WriteString("previousCommitSha256", c.PreviousCommitSha256);
                }

                w.WriteEndObject();
                break;
            case AddCdcFile cdc:
                w.WriteStartObject("cdc");
                w.WriteString("path", cdc.Path);
                WriteMap(w, "partitionValues", cdc.PartitionValues);
                w.WriteNumber("size", cdc.Size);
                w.WriteBoolean("dataChange", cdc.DataChange);
                if (cdc.Tags is not null)
                {
                    WriteMap(w, "tags", cdc.Tags);
                }

                w.WriteEndObject();
                break;
            case DomainMetadata d:
                w.WriteStartObject("domainMetadata");
                w.WriteString("domain", d.Domain);
                w.WriteString("configuration", d.Configuration);
                w.WriteBoolean("removed", d.Removed);
                w.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown Delta action.");
        }

        w.WriteEndObject();
    }

    internal static Metadata ParseMetadata(JsonElement e)
    {
        var format = FileFormat.Parquet;
        if (e.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Object)
        {
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            if (f.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in o.EnumerateObject())
                {
                    options[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }
            }

            format = new FileFormat(Str(f, "provider") ?? "parquet", options);
        }

        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("configuration", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in c.EnumerateObject())
            {
                config[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        return new Metadata(
            Str(e, "id") ?? "",
            Str(e, "name"),
            Str(e, "description"),
            format,
            Str(e, "schemaString") ?? "",
            StringList(e, "partitionColumns") ?? [],
            config,
            Long(e, "createdTime"));
    }

    private static CommitInfo ParseCommitInfo(JsonElement e)
    {
        Dictionary<string, string>? parameters = null;
        if (e.TryGetProperty("operationParameters", out var op) && op.ValueKind == JsonValueKind.Object)
        {
            parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in op.EnumerateObject())
            {
                parameters[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        return new CommitInfo(
            Long(e, "inCommitTimestamp") ?? Long(e, "timestamp"),
            Str(e, "operation"),
            parameters,
            Long(e, "readVersion"),
            Bool(e, "isBlindAppend"),
            Str(e, "engineInfo"),
            Str(e, "txnId"),
            e.GetRawText())
        {
            PreviousCommitSha256 = Str(e, "previousCommitSha256"),
        };
    }

    private static DeletionVectorDescriptor? Dv(JsonElement e)
    {
        if (!e.TryGetProperty("deletionVector", out var dv) || dv.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new DeletionVectorDescriptor(
            Str(dv, "storageType")!,
            Str(dv, "pathOrInlineDv")!,
            (int?)Long(dv, "offset"),
            (int)(Long(dv, "sizeInBytes") ?? 0),
            Long(dv, "cardinality") ?? 0);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64()
        : e.TryGetProperty(name, out v) && v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, CultureInfo.InvariantCulture)
        : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static Dictionary<string, string?>? StringMap(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => p.Value.GetString(),
                _ => p.Value.GetRawText(),
            };
        }

        return map;
    }

    private static List<string>? StringList(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            list.Add(item.GetString()!);
        }

        return list;
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string?> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map)
        {
            if (v is null)
            {
                w.WriteNull(k);
            }
            else
            {
                w.WriteString(k, v);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string>? list)
    {
        if (list is null)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var item in list)
        {
            w.WriteStringValue(item);
        }

        w.WriteEndArray();
    }

    private static void WriteDv(Utf8JsonWriter w, DeletionVectorDescriptor? dv)
    {
        if (dv is null)
        {
            return;
        }

        w.WriteStartObject("deletionVector");
        w.WriteString("storageType", dv.StorageType);
        w.WriteString("pathOrInlineDv", dv.PathOrInlineDv);
        if (dv.Offset is { } offset)
        {
            w.WriteNumber("offset", offset);
        }

        w.WriteNumber("sizeInBytes", dv.SizeInBytes);
        w.WriteNumber("cardinality", dv.Cardinality);
        w.WriteEndObject();
    }
}
