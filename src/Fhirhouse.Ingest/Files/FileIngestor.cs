using Fhirhouse.Ingest.Pipeline;

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

    /// <summary>Ingests the files in order, reporting after each one.</summary>
    public async Task<IngestSummary> IngestAsync(IReadOnlyList<(string Path, PayloadFormat Format)> files, IProgress<PayloadResult>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<PayloadResult>(files.Count);
        foreach (var (path, format) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var extension = format == PayloadFormat.Ndjson ? ".ndjson" : ".json";
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                extension += ".gz";
            }

            var payload = await ingestor.Raw.LandFileAsync(path, extension, cancellationToken).ConfigureAwait(false);
            var mediaType = format == PayloadFormat.Ndjson ? "application/fhir+ndjson" : "application/fhir+json";
            var result = await ingestor.IngestAsync(payload, format, "files", path, mediaType, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }

        return new IngestSummary(results);
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
