using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Lake;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;

namespace Fhirhouse.Ingest.Bench;

/// <summary>The measured stages: each prints one line "stage resources seconds resources/s peak-MiB allocated-MiB".</summary>
internal static class Stages
{
    public static int Generate(int patients, string dir)
    {
        var summary = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = 7 }).Generate(dir);
        Console.WriteLine($"generated {summary.Resources} resources in {Files(dir).Count} NDJSON files");
        return 0;
    }

    /// <summary>The limit: one Utf8JsonReader pass over every line, nothing kept.</summary>
    public static async Task<int> ScanAsync(string dir)
    {
        var watch = Stopwatch.StartNew();
        long resources = 0, tokens = 0, header = 0;
        var headerWatch = new Stopwatch();
        foreach (var file in Files(dir))
        {
            await using var stream = NdjsonReader.OpenFile(file);
            await foreach (var line in NdjsonReader.ReadAsync(stream))
            {
                var reader = new Utf8JsonReader(line.Json.Span);
                while (reader.Read())
                {
                    tokens++;
                }

                headerWatch.Start();
                header += ResourceScanner.Scan(line.Json.Span).Id.Length;
                headerWatch.Stop();
                resources++;
            }
        }

        Report("scan (Utf8JsonReader pass + header scan)", resources, watch.Elapsed);
        Console.WriteLine($"  of which ResourceScanner.Scan (type, id, meta, patient, structure): {headerWatch.Elapsed.TotalSeconds:F2} s; {tokens} tokens");
        return header > 0 ? 0 : 1;
    }

    /// <summary>End to end: FileIngestor into a lake (encrypted with a local keyring, or plain), raw zone + bronze + manifest.</summary>
    public static async Task<int> IngestAsync(string dir, string lakePath, bool encrypted)
    {
        var files = FileIngestor.Resolve(Files(dir));
        var objects = encrypted
            ? (await LakeStore.OpenAsync(new LakeOptions
            {
                Uri = lakePath,
                KeyProvider = LocalKeyring.OpenOrCreate(lakePath + ".keyring.json", lakePath + ".keyring.key").Keyring,
            })).Objects
            : new LocalObjectStore(lakePath);
        var ingestor = await PayloadIngestor.OpenAsync(objects, new IngestOptions());
        var watch = Stopwatch.StartNew();
        var summary = await new FileIngestor(ingestor).IngestAsync(files);
        Report(encrypted ? "fhirhouse ingest (encrypted lake)" : "fhirhouse ingest (plain lake)", summary.Resources, watch.Elapsed);
        return summary.Quarantined == 0 ? 0 : 1;
    }

    /// <summary>The peer: DuckDB read_json (schema inferred per file) then COPY TO parquet, one file per NDJSON file, unencrypted.</summary>
    public static int DuckDb(string dir, string output)
    {
        Directory.CreateDirectory(output);
        var watch = Stopwatch.StartNew();
        long rows = 0;
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var settings = connection.CreateCommand())
        {
            settings.CommandText = "SET threads TO 2";
            settings.ExecuteNonQuery();
        }

        foreach (var file in Files(dir))
        {
            using var command = connection.CreateCommand();
            var target = Path.Combine(output, Path.GetFileNameWithoutExtension(file) + ".parquet");
            command.CommandText = $"COPY (SELECT * FROM read_json('{file}', format = 'newline_delimited', maximum_object_size = 67108864)) TO '{target}' (FORMAT parquet)";
            rows += command.ExecuteNonQuery();
        }

        Report("duckdb read_json + COPY TO parquet", rows, watch.Elapsed);
        return 0;
    }

    private static List<string> Files(string dir) =>
        [.. Directory.EnumerateFiles(dir, "*.ndjson", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(HospitalGenerator.GroundTruthFileName, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static void Report(string stage, long resources, TimeSpan elapsed)
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{stage}: {resources} resources in {elapsed.TotalSeconds:F2} s = {resources / elapsed.TotalSeconds:F0} resources/s; peak working set {process.PeakWorkingSet64 / (1 << 20)} MiB; allocated {GC.GetTotalAllocatedBytes() / (1 << 20)} MiB; gen2 GCs {GC.CollectionCount(2)}"));
    }
}
