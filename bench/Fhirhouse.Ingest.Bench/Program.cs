using Fhirhouse.Ingest.Bench;

// Each verb runs in its own process so that its peak memory is its own (bench/Fhirhouse.Ingest.Bench/run.sh runs them all).
return args.FirstOrDefault() switch
{
    "generate" when args.Length == 3 => Stages.Generate(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]),
    "scan" when args.Length == 2 => await Stages.ScanAsync(args[1]),
    "ingest" when args.Length == 3 => await Stages.IngestAsync(args[1], args[2], encrypted: true),
    "ingest-plain" when args.Length == 3 => await Stages.IngestAsync(args[1], args[2], encrypted: false),
    "duckdb" when args.Length == 3 => Stages.DuckDb(args[1], args[2]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Fhirhouse.Ingest.Bench generate PATIENTS DIR | scan DIR | ingest DIR LAKE | ingest-plain DIR LAKE | duckdb DIR OUT");
    return 2;
}
