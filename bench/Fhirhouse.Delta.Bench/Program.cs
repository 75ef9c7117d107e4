using Fhirhouse.Delta.Bench;

// Verbs: "append ROOT TABLE WORKER COUNT" (a writer process for the multi-process tests), "append-lake LAKE KEYRING TABLE
// WORKER COUNT" (the same on an encrypted lake, with head records),
// "append-forever ROOT TABLE" (a writer to be killed), "bench [ROWS] [COMMITS]" (the figures of docs/benchmarks-delta.md),
// "encrypted [ROWS] [ROUNDS]" (the encrypted lake's overhead on a Delta write and scan, docs/benchmarks.md),
// "heads [COMMITS]" (the hash chain's and head record's cost on a commit, docs/benchmarks.md).
return args.FirstOrDefault() switch
{
    "append" => await Appender.AppendAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)),
    "append-lake" => await Appender.AppendToLakeAsync(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture)),
    "append-forever" => await Appender.AppendForeverAsync(args[1], args[2]),
    "bench" => await Benchmarks.RunAsync(args.Skip(1).ToArray()),
    "encrypted" => await EncryptionOverhead.RunAsync(args.Skip(1).ToArray()),
    "heads" => await HeadOverhead.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Fhirhouse.Delta.Bench append ROOT TABLE WORKER COUNT | append-lake LAKE KEYRING TABLE WORKER COUNT | append-forever ROOT TABLE | bench [ROWS] [COMMITS] | encrypted [ROWS] [ROUNDS] | heads [COMMITS]");
    return 2;
}
