using Fhirhouse.Lake.Landing;
using Fhirhouse.Lake.Raw;

namespace Fhirhouse.Ingest.Files;

/// <summary>
/// <c>fhirhouse ingest files</c>: NDJSON (<c>.ndjson</c>, <c>.jsonl</c>, optionally <c>.gz</c>) and JSON files (a Bundle
/// or one resource, <c>.json</c>), given one by one or as folders (searched recursively, in path order).
/// </summary>
public sealed class FileIngestor(PayloadIngestor ingestor)
{
    /// <summary>The files a set of paths stands for, with their format; throws naming a path that is missing or of an unknown kind.</summary>
    public static IReadOnlyList<(string Path, PayloadFormat Format)> Resolve(IEnumerable<string> paths)
    {
        var result = new List<(string, PayloadFormat)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (FormatOf(file) is { } format)
                    {
                        result.Add((Path.GetFullPath(file), format));
                    }
                }
            }
            else if (File.Exists(path))
            {
                var format = FormatOf(path) ?? throw new ArgumentException($"{path}: unknown kind of file; expected .ndjson, .jsonl or .json (optionally .gz).");
                result.Add((Path.GetFullPath(path), format));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or folder.", path);
            }
        }

        return result;
    }

    /// <summary>
    /// Ingests the files, two at a time (each landed in the raw zone, then read into bronze: the payloads are
    /// independent, each exactly once by its own txn ids, so they commit side by side), reporting each file in the
    /// order given.
    /// </summary>
    public async Task<IngestSummary> IngestAsync(IReadOnlyList<(string Path, PayloadFormat Format)> files, IProgress<PayloadResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        const int filesAtOnce = 2;
        var results = new List<PayloadResult>(files.Count);
        var pending = new Queue<Task<PayloadResult>>();
        try
        {
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                pending.Enqueue(Task.Run(() => IngestOneAsync(file, cancellationToken), cancellationToken));
                if (pending.Count >= filesAtOnce)
                {
                    Report(await pending.Dequeue().ConfigureAwait(false));
                }
            }

            while (pending.Count > 0)
            {
                Report(await pending.Dequeue().ConfigureAwait(false));
            }
        }
        finally
        {
            foreach (var task in pending)
            {
                await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        return new IngestSummary(results);

        void Report(PayloadResult result)
        {
            results.Add(result);
            progress?.Report(result);
        }
    }

    private async Task<PayloadResult> IngestOneAsync((string Path, PayloadFormat Format) file, CancellationToken cancellationToken)
    {
        var payload = await LandAsync(file, cancellationToken).ConfigureAwait(false);
        var mediaType = file.Format == PayloadFormat.Ndjson ? "application/fhir+ndjson" : "application/fhir+json";
        return await ingestor.IngestAsync(payload, file.Format, "files", file.Path, mediaType, cancellationToken).ConfigureAwait(false);
    }

    private Task<RawPayload> LandAsync((string Path, PayloadFormat Format) file, CancellationToken cancellationToken)
    {
        var extension = file.Format == PayloadFormat.Ndjson ? ".ndjson" : ".json";
        if (file.Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            extension += ".gz";
        }

        return ingestor.Raw.LandFileAsync(file.Path, extension, cancellationToken);
    }

    private static PayloadFormat? FormatOf(string path)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return PayloadFormat.Ndjson;
        }

        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? PayloadFormat.Json : null;
    }
}
