using Fhirhouse.Ingest.Pipeline;
using Fhirhouse.Ingest.Raw;

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
    /// Ingests the files in order, reporting after each one. The next file is landed in the raw zone (hashed, encrypted,
    /// stored: idempotent, content-addressed) while the current one is read into bronze.
    /// </summary>
    public async Task<IngestSummary> IngestAsync(IReadOnlyList<(string Path, PayloadFormat Format)> files, IProgress<PayloadResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var results = new List<PayloadResult>(files.Count);
        Task<RawPayload>? next = files.Count > 0 ? LandAsync(files[0], cancellationToken) : null;
        try
        {
            for (var i = 0; i < files.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var payload = await next!.ConfigureAwait(false);
                if (i + 1 < files.Count)
                {
                    var following = files[i + 1];
                    next = Task.Run(() => LandAsync(following, cancellationToken), cancellationToken);
                }
                else
                {
                    next = null;
                }

                var (path, format) = files[i];
                var mediaType = format == PayloadFormat.Ndjson ? "application/fhir+ndjson" : "application/fhir+json";
                var result = await ingestor.IngestAsync(payload, format, "files", path, mediaType, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                progress?.Report(result);
            }
        }
        finally
        {
            if (next is not null)
            {
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        return new IngestSummary(results);
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
