using System.Text;
using System.Text.Json;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Server.Http;
using Fhirhouse.Storage;

namespace Fhirhouse.Server.Export;

/// <summary>
/// Runs one export: finds the current resources of the job's bronze version from bronze's small columns, keeps those
/// the request selects, and streams their JSON from bronze, file by file, into NDJSON files (one or more per type,
/// resources in id order within each bronze file), plus deletions (Bundles of DELETE entries, for <c>_since</c>) and
/// the OperationOutcomes of filters ignored under <c>handling=lenient</c>.
/// </summary>
internal sealed class ExportRunner(ExportJobStore store, BronzeTable bronze, BulkServerOptions options)
{
    public async Task<ExportJob> RunAsync(ExportJob job, Action<string> progress, CancellationToken cancellationToken)
    {
        var request = job.Request;
        var errors = new List<string>();
        var filters = request.TypeFilters
            .Select(f => TypeFilter.Parse(f, request.Lenient ? errors.Add : null))
            .OfType<TypeFilter>()
            .ToLookup(f => f.ResourceType, StringComparer.Ordinal);
        progress("reading the lake");
        var snapshot = await bronze.Table.GetSnapshotAsync(job.BronzeVersion, cancellationToken).ConfigureAwait(false);
        var current = await BronzeScan.ReadCurrentAsync(bronze.Table, snapshot, cancellationToken: cancellationToken).ConfigureAwait(false);
        var patients = await PatientsAsync(request, bronze.Table, snapshot, current, cancellationToken).ConfigureAwait(false);
        var types = request.Types is { } wanted ? new HashSet<string>(wanted, StringComparer.Ordinal) : null;

        var byType = new SortedDictionary<string, List<(BronzeRow Row, BronzeScan.Location At)>>(StringComparer.Ordinal);
        var deleted = new List<BronzeRow>();
        foreach (var (row, at) in current.Values)
        {
            if ((types is not null && !types.Contains(row.ResourceType))
                || (request.Level != ExportLevel.System && !InScope(row, patients)))
            {
                continue;
            }

            if (request.Since is { } since && (row.LastUpdated is not { } updated || updated < since))
            {
                continue;
            }

            if (row.Deleted)
            {
                if (request.Since is not null)
                {
                    deleted.Add(row);
                }

                continue;
            }

            if (!byType.TryGetValue(row.ResourceType, out var list))
            {
                byType[row.ResourceType] = list = [];
            }

            list.Add((row, at));
        }

        // Each type is streamed: its resources are read file by file from bronze and written in parts of
        // ResourcesPerFile, so memory holds one part, whatever the size of the lake.
        var files = new List<ExportFile>();
        var done = 0;
        foreach (var (type, rows) in byType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.BeforeType is { } hook)
            {
                await hook(job.Id, type, cancellationToken).ConfigureAwait(false);
            }

            progress($"exporting {type} ({++done}/{byType.Count} types)");
            var typeFilters = filters[type].ToList();
            using var part = new MemoryStream();
            var inPart = 0;
            var parts = 0;
            foreach (var inFile in rows.GroupBy(r => r.At.File).OrderBy(g => g.Key))
            {
                var wantedRows = inFile.ToDictionary(r => r.At.Row, r => r.Row);
                var selected = new List<(BronzeRow Row, byte[] Json)>();
                await BronzeScan.ReadResourceBytesAsync(bronze.Table, snapshot.Files[inFile.Key], wantedRows, (BronzeRow row, ReadOnlyMemory<byte> json) =>
                {
                    if (typeFilters.Count == 0 || typeFilters.Any(f => f.Matches(row with { Resource = Encoding.UTF8.GetString(json.Span) })))
                    {
                        selected.Add((row, json.ToArray()));
                    }
                }, cancellationToken).ConfigureAwait(false);
                foreach (var (_, json) in selected.OrderBy(s => s.Row.Id, StringComparer.Ordinal))
                {
                    part.Write(json);
                    part.WriteByte((byte)'\n');
                    if (++inPart == options.ResourcesPerFile)
                    {
                        files.Add(await WritePartAsync(job.Id, type, ++parts, part, inPart, cancellationToken).ConfigureAwait(false));
                        inPart = 0;
                    }
                }
            }

            if (inPart > 0)
            {
                files.Add(await WritePartAsync(job.Id, type, ++parts, part, inPart, cancellationToken).ConfigureAwait(false));
            }
        }

        if (deleted.Count > 0)
        {
            deleted.Sort((a, b) => string.CompareOrdinal(a.ResourceType + "/" + a.Id, b.ResourceType + "/" + b.Id));
            await WriteAsync(job.Id, "deleted-1.ndjson", deleted.Select(DeletionBundle).ToList(), cancellationToken).ConfigureAwait(false);
            files.Add(new ExportFile("deleted", "Bundle", "deleted-1.ndjson", deleted.Count));
        }

        foreach (var reason in request.LeftOut ?? [])
        {
            errors.Add(reason);
        }

        if (errors.Count > 0)
        {
            var ignored = errors.Count - (request.LeftOut?.Count ?? 0);
            var outcomes = errors.Select((e, i) => i < ignored
                ? OperationOutcomes.Json("warning", "not-supported", e + " The filter was ignored (handling=lenient).")
                : OperationOutcomes.Json("information", "suppressed", e + " The type was left out of this export.")).ToList();
            await WriteAsync(job.Id, "errors-1.ndjson", outcomes, cancellationToken).ConfigureAwait(false);
            files.Add(new ExportFile("error", "OperationOutcome", "errors-1.ndjson", outcomes.Count));
        }

        return job with { Status = ExportJob.Completed, Files = files };
    }

    /// <summary>The patients of a Group (its members' Patient references); null when every patient is in scope.</summary>
    internal static async Task<HashSet<string>?> PatientsAsync(
        ExportRequest request, Delta.DeltaTable table, Delta.Snapshot snapshot, IReadOnlyDictionary<string, (BronzeRow Row, BronzeScan.Location At)> current,
        CancellationToken cancellationToken)
    {
        if (request.Level != ExportLevel.Group)
        {
            return null;
        }

        if (!current.TryGetValue("Group/" + request.GroupId, out var group) || group.Row.Deleted)
        {
            throw new FhirProblemException(404, "not-found", $"Group/{request.GroupId} is not in the lake.");
        }

        var members = new HashSet<string>(StringComparer.Ordinal);
        await BronzeScan.ReadResourcesAsync(table, snapshot.Files[group.At.File], new Dictionary<long, bool> { [group.At.Row] = true }, (_, resource) =>
        {
            if (resource.TryGetProperty("member", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var member in list.EnumerateArray())
                {
                    if (member.TryGetProperty("entity", out var entity) && entity.TryGetProperty("reference", out var reference)
                        && reference.GetString() is { } text && text.Split('/') is { Length: >= 2 } parts && parts[^2] == "Patient")
                    {
                        members.Add(parts[^1]);
                    }
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return members;
    }

    private static bool InScope(BronzeRow row, HashSet<string>? patients)
    {
        var patient = row.Deleted && row.ResourceType == "Patient" ? row.Id : row.PatientId;
        return patient is not null && (patients is null || patients.Contains(patient));
    }

    private static string DeletionBundle(BronzeRow row) => JsonSerializer.Serialize(new
    {
        resourceType = "Bundle",
        type = "transaction",
        timestamp = row.LastUpdated?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        entry = new[] { new { request = new { method = "DELETE", url = row.ResourceType + "/" + row.Id } } },
    });

    private async Task<ExportFile> WritePartAsync(string id, string type, int number, MemoryStream part, int count, CancellationToken cancellationToken)
    {
        var name = $"{type}-{number}.ndjson";
        await store.Lake.PutAsync(ExportJobStore.FileKey(id, name), part.GetBuffer().AsMemory(0, (int)part.Length), cancellationToken).ConfigureAwait(false);
        part.SetLength(0);
        return new ExportFile("output", type, name, count);
    }

    private async Task WriteAsync(string id, string name, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        foreach (var line in lines)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            buffer.Write(bytes);
            buffer.WriteByte((byte)'\n');
        }

        await store.Lake.PutAsync(ExportJobStore.FileKey(id, name), buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
    }
}
