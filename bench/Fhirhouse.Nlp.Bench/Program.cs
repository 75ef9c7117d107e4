// The NLP engine alone, one thread: notes of 1-2 KB assembled (seeded) from the team's development-set sentences, in
// French and English, annotated end to end (sentences, concepts, assertion). Prints notes/s on one core, mentions found,
// and the memory the loaded lexicons and rules take.
// dotnet run -c Release --project bench/Fhirhouse.Nlp.Bench -- [notes] [rounds]
using System.Diagnostics;
using System.Globalization;
using Fhirhouse.Nlp;

var notes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var sets = Path.Combine(AppContext.BaseDirectory, "DevSets");
var sentences = new Dictionary<string, string[]>
{
    ["en"] = File.ReadLines(Path.Combine(sets, "en.tsv")).Select(l => l.Split('\t')[0]).Distinct().ToArray(),
    ["fr"] = File.ReadLines(Path.Combine(sets, "fr.tsv")).Select(l => l.Split('\t')[0]).Distinct().ToArray(),
};
var random = new Random(42);
var texts = new List<string>(notes);
long bytes = 0;
for (var n = 0; n < notes; n++)
{
    var pool = sentences[n % 2 == 0 ? "en" : "fr"];
    var target = 1024 + random.Next(1024);
    var builder = new System.Text.StringBuilder();
    while (builder.Length < target)
    {
        builder.Append(pool[random.Next(pool.Length)]).Append(random.Next(4) == 0 ? "\n" : " ");
    }

    texts.Add(builder.ToString());
    bytes += builder.Length;
}

GC.Collect();
var before = GC.GetTotalMemory(forceFullCollection: true);
var annotator = Annotator.Shipped();
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {notes:N0} notes, {bytes / notes:N0} characters on average, half French, half English; {rounds} rounds, one thread");
Console.WriteLine($"lexicons and rules loaded: {(after - before) / 1024.0 / 1024.0:F1} MiB ({annotator.Versions})");
var best = double.MaxValue;
long mentions = 0;
for (var round = 0; round < rounds; round++)
{
    mentions = 0;
    var clock = Stopwatch.StartNew();
    foreach (var text in texts)
    {
        mentions += annotator.Annotate(text).Mentions.Count;
    }

    best = Math.Min(best, clock.Elapsed.TotalSeconds);
}

Console.WriteLine($"engine, one core: best {best:F2} s = {notes / best:N0} notes/s ({bytes / best / 1e6:F1} MB/s), {mentions:N0} mentions ({(double)mentions / notes:F1} a note); target 2,000 notes/s per core: {(notes / best >= 2000 ? "met" : "not met")}");
