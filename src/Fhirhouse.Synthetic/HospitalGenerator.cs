using System.Text.Json;
using Fhirhouse.Synthetic.Messages;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Output;
using Fhirhouse.Synthetic.Simulation;

namespace Fhirhouse.Synthetic;

/// <summary>
/// Generates the synthetic hospital into a folder: FHIR R4 resources (NDJSON in the Bulk Data layout, or a transaction
/// Bundle per patient), <c>notes-ground-truth.ndjson</c> (notes and patient messages) and <c>manifest.json</c>. Patients are simulated in parallel in
/// fixed-size chunks and written in patient order, so memory stays flat and the output is byte-identical for a seed.
/// </summary>
public sealed class HospitalGenerator
{
    /// <summary>File name of the ground truth of the notes and the patient messages (one line per DocumentReference or Communication).</summary>
    public const string GroundTruthFileName = "notes-ground-truth.ndjson";

    /// <summary>File name of the run manifest (options, drift start, counts).</summary>
    public const string ManifestFileName = "manifest.json";

    private const int ChunkSize = 256;
    private readonly HospitalOptions _options;

    /// <summary>Validates the options (throws <see cref="ArgumentException"/> naming the bad one).</summary>
    public HospitalGenerator(HospitalOptions options) => _options = options.Validate();

    /// <summary>Writes the hospital into <paramref name="outputFolder"/> (created if missing; must not already hold output).</summary>
    public GenerationSummary Generate(string outputFolder, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(folder);
        var truthPath = Path.Combine(folder, GroundTruthFileName);
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (File.Exists(truthPath) || File.Exists(manifestPath))
        {
            throw new IOException($"The folder {folder} already holds a generated hospital; choose an empty folder.");
        }

        var hospital = new Hospital(_options.Seed);
        var bundles = _options.Format == OutputFormat.Bundles;
        var simulator = new PatientSimulator(_options, hospital, urnReferences: bundles);
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byLanguage = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long resources = 0;
        long notes = 0;
        long messages = 0;
        var messagesByLanguage = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var messagesByChannel = new SortedDictionary<string, long>(StringComparer.Ordinal);

        IResourceSink sink = bundles
            ? new BundleSink(Path.Combine(folder, "bundles"))
            : new NdjsonSink(folder, _options.MaxResourcesPerFile);
        try
        {
            using var truthWriter = new GroundTruthWriter(truthPath);
            var shared = new ResourceBatch();
            hospital.Write(shared);
            sink.WriteShared(shared);
            Count(shared);

            var chunkBatches = new ResourceBatch[ChunkSize];
            var chunkTruths = new List<NoteTruth>[ChunkSize];
            var chunkMessages = new List<MessageTruth>[ChunkSize];
            for (var first = 0; first < _options.Patients; first += ChunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = Math.Min(ChunkSize, _options.Patients - first);
                Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var batch = new ResourceBatch();
                    var truths = new List<NoteTruth>();
                    var sent = new List<MessageTruth>();
                    simulator.Simulate(first + i, batch, truths, sent);
                    chunkBatches[i] = batch;
                    chunkTruths[i] = truths;
                    chunkMessages[i] = sent;
                });

                for (var i = 0; i < n; i++)
                {
                    var batch = chunkBatches[i];
                    sink.WritePatient(first + i, batch[0].Id, batch);
                    Count(batch);
                    foreach (var truth in chunkTruths[i])
                    {
                        truthWriter.Write(truth);
                        notes++;
                        byLanguage[truth.Language] = byLanguage.GetValueOrDefault(truth.Language) + 1;
                    }

                    foreach (var message in chunkMessages[i])
                    {
                        truthWriter.Write(message);
                        messages++;
                        messagesByLanguage[message.Language] = messagesByLanguage.GetValueOrDefault(message.Language) + 1;
                        var channel = MessageChannels.CodeOf(message.Channel).Value;
                        messagesByChannel[channel] = messagesByChannel.GetValueOrDefault(channel) + 1;
                    }

                    chunkBatches[i] = null!;
                    chunkTruths[i] = null!;
                    chunkMessages[i] = null!;
                }

                progress?.Report(new GenerationProgress(first + n, _options.Patients, resources));
            }
        }
        finally
        {
            sink.Dispose();
        }

        List<string> files = sink is NdjsonSink ndjson
            ? [.. ndjson.Files.Select(f => Path.GetRelativePath(folder, f.Path))]
            : [.. Directory.EnumerateFiles(Path.Combine(folder, "bundles")).Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(folder, f))];

        var summary = new GenerationSummary(folder, _options.Patients, resources, byType, notes, byLanguage, files, truthPath, manifestPath)
        {
            Messages = messages,
            MessagesByLanguage = messagesByLanguage,
            MessagesByChannel = messagesByChannel,
        };
        WriteManifest(manifestPath, summary);
        return summary;

        void Count(ResourceBatch batch)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var type = batch[i].Type;
                byType[type] = byType.GetValueOrDefault(type) + 1;
            }

            resources += batch.Count;
        }
    }

    private void WriteManifest(string path, GenerationSummary summary)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using var w = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("generator", "fhirhouse generate");
        w.WriteString("fhirVersion", "4.0.1");
        w.WriteNumber("seed", _options.Seed);
        w.WriteNumber("patients", _options.Patients);
        w.WriteNumber("fromYear", _options.FromYear);
        w.WriteNumber("toYear", _options.ToYear);
        w.WriteString("format", _options.Format == OutputFormat.Bundles ? "bundles" : "ndjson");
        w.WriteNumber("frenchShare", _options.FrenchShare);
        w.WriteString("driftStart", _options.DriftStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteStartArray("drift");
        foreach (var scenario in _options.Drift.Order())
        {
            w.WriteStartObject();
            w.WriteString("name", DriftScenarios.NameOf(scenario));
            w.WriteString("description", DriftScenarios.Describe(scenario));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        summary.WriteCounts(w);
        w.WriteString("groundTruth", GroundTruthFileName);
        w.WriteStartArray("files");
        foreach (var f in summary.Files)
        {
            w.WriteStringValue(f);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
