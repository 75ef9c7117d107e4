using System.Text;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Nlp.Annotations;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Nlp.Tests.Annotations;

public sealed class NlpAnnotationJobTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    private IObjectStore NewLake(string name) => new LocalObjectStore(Path.Combine(_folder.Path, name));

    private IngestOptions Ingest => new() { Time = _time };

    private static string Note(string id, string patient, string text, string updated = "2024-05-01T10:00:00Z", string status = "current") =>
        $$$"""{"resourceType":"DocumentReference","id":"{{{id}}}","meta":{"lastUpdated":"{{{updated}}}"},"status":"{{{status}}}","subject":{"reference":"Patient/{{{patient}}}"},"date":"2024-05-01T09:00:00Z","content":[{"attachment":{"contentType":"text/plain; charset=utf-8","language":"fr","data":"{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}}}"}}]}""";

    private static string Message(string id, string patient, string text) =>
        $$$"""{"resourceType":"Communication","id":"{{{id}}}","meta":{"lastUpdated":"2024-06-01T10:00:00Z"},"language":"en-GB","status":"completed","subject":{"reference":"Patient/{{{patient}}}"},"sent":"2024-06-01T09:00:00Z","payload":[{"contentString":"{{{text}}}"}]}""";

    private async Task LandAsync(IObjectStore lake, params string[] resources)
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        var ingestor = await PayloadIngestor.OpenAsync(lake, Ingest);
        var raw = await ingestor.Raw.LandAsync(Encoding.UTF8.GetBytes(string.Join('\n', resources) + "\n"), ".ndjson");
        await ingestor.IngestAsync(raw, PayloadFormat.Ndjson, "test", "test.ndjson", "application/fhir+ndjson");
    }

    private async Task<NlpAnnotateResult> AnnotateAsync(IObjectStore lake, Annotator? annotator = null, int batch = 5000, IProgress<NlpAnnotateProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        var job = await NlpAnnotationJob.OpenAsync(lake, Ingest, annotator ?? Annotator.Shipped(), new NlpAnnotateOptions { BatchDocuments = batch }, cancellationToken);
        return await job.RunAsync(progress, cancellationToken);
    }

    private static async Task<List<object?[]>> RowsAsync(IObjectStore lake)
    {
        var table = await DeltaTable.OpenAsync(lake, NlpAnnotationsTable.Definition.Path);
        var rows = new List<object?[]>();
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            rows.Add(row);
        }

        return [.. rows.OrderBy(r => (string)r[NlpAnnotationsTable.Column.MentionId]!, StringComparer.Ordinal)];
    }

    private static object? Column(object?[] row, string name) => row[NlpAnnotationsTable.Schema.IndexOf(name)];

    /// <summary>The current NLP resources of bronze, by key, as JSON.</summary>
    private static async Task<SortedDictionary<string, string>> NlpResourcesAsync(IObjectStore lake)
    {
        var bronze = await BronzeTable.OpenAsync(lake, new DeltaTableOptions());
        var current = await bronze.ReadCurrentAsync();
        return new SortedDictionary<string, string>(
            current.Where(c => c.Value.Source == NlpAnnotationJob.Source && !c.Value.Deleted).ToDictionary(c => c.Key, c => c.Value.Resource!), StringComparer.Ordinal);
    }

    private static async Task<long> BronzeVersionAsync(IObjectStore lake) =>
        (await (await BronzeTable.OpenAsync(lake, new DeltaTableOptions())).Table.GetSnapshotAsync()).Version;

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Notes_and_messages_become_annotation_rows_and_FHIR_in_bronze_with_their_assertion()
    {
        var lake = NewLake("lake");
        await LandAsync(lake,
            Note("n1", "p1", "Pas de douleur thoracique. Suspicion d'embolie pulmonaire. Mère diabétique."),
            Message("m1", "p2", "I have had a cough for a week but no fever."),
            """{"resourceType":"Patient","id":"p1"}""");

        var result = await AnnotateAsync(lake);

        Assert.True(result.Full);
        Assert.Equal(2, result.Documents);
        Assert.NotNull(result.TableVersion);
        var rows = await RowsAsync(lake);
        Assert.Equal(result.Mentions, rows.Count);
        var chest = Assert.Single(rows, r => (string)r[NlpAnnotationsTable.Column.Text]! == "douleur thoracique");
        Assert.Equal(("DocumentReference/n1", "p1", "fr", "Negated", "Recent", "Patient"),
            ((string)Column(chest, "_resource_key")!, (string?)Column(chest, "patient_id"), (string)Column(chest, "language")!, (string?)Column(chest, "negation"), (string?)Column(chest, "temporality"), (string?)Column(chest, "experiencer")));
        Assert.Equal("Possible", Column(Assert.Single(rows, r => ((string)r[NlpAnnotationsTable.Column.Text]!).Contains("embolie", StringComparison.Ordinal)), "negation"));
        var fever = Assert.Single(rows, r => (string)r[NlpAnnotationsTable.Column.Text]! == "fever");
        Assert.Equal(("Communication/m1", "en", "Negated"), ((string)Column(fever, "_resource_key")!, (string)Column(fever, "language")!, (string?)Column(fever, "negation")));

        var resources = await NlpResourcesAsync(lake);
        var condition = Parse(resources[(string)Column(chest, "fhir_resource")!]);
        Assert.Equal("Condition", condition.GetProperty("resourceType").GetString());
        Assert.Equal("refuted", condition.GetProperty("verificationStatus").GetProperty("coding")[0].GetProperty("code").GetString());
        var family = Assert.Single(rows, r => (string?)Column(r, "experiencer") == "Other");
        Assert.StartsWith("FamilyMemberHistory/", (string)Column(family, "fhir_resource")!, StringComparison.Ordinal);
        Assert.Contains(resources.Keys, k => k.StartsWith("Provenance/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_run_with_the_same_engine_commits_nothing_and_lands_nothing()
    {
        var lake = NewLake("lake");
        await LandAsync(lake, Note("n1", "p1", "Pas de fièvre. HTA connue."));
        var first = await AnnotateAsync(lake);
        var bronzeAfter = await BronzeVersionAsync(lake);
        var tableAfter = (await (await DeltaTable.OpenAsync(lake, NlpAnnotationsTable.Definition.Path)).GetSnapshotAsync()).Version;

        var second = await AnnotateAsync(lake);
        var third = await AnnotateAsync(lake);

        Assert.NotNull(first.TableVersion);
        Assert.Equal(bronzeAfter, first.BronzeVersion);
        Assert.True(second.WasUpToDate && third.WasUpToDate, "the first run's own FHIR in bronze is not something to annotate");
        Assert.Null(second.TableVersion);
        Assert.Null(third.TableVersion);
        Assert.Equal(bronzeAfter, await BronzeVersionAsync(lake));
        Assert.Equal(tableAfter, (await (await DeltaTable.OpenAsync(lake, NlpAnnotationsTable.Definition.Path)).GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task A_changed_note_is_re_annotated_alone_and_the_FHIR_of_a_mention_no_longer_found_is_entered_in_error()
    {
        var lake = NewLake("lake");
        await LandAsync(lake, Note("n1", "p1", "Patient diabétique. Pas de fièvre."), Note("n2", "p2", "Toux depuis 3 jours."));
        await AnnotateAsync(lake);
        var before = await RowsAsync(lake);
        var fever = Assert.Single(before, r => (string)r[NlpAnnotationsTable.Column.Text]! == "fièvre");
        var feverCondition = (string)Column(fever, "fhir_resource")!;
        var n2Rows = before.Where(r => (string)Column(r, "_resource_key")! == "DocumentReference/n2").Select(r => (string)Column(r, "mention_id")!).ToList();

        await LandAsync(lake, Note("n1", "p1", "Patient diabétique.", updated: "2024-05-02T10:00:00Z"));
        var result = await AnnotateAsync(lake);

        Assert.False(result.Full);
        Assert.Equal(1, result.Documents);
        Assert.Equal(1, result.Retracted);
        var after = await RowsAsync(lake);
        Assert.DoesNotContain(after, r => (string)r[NlpAnnotationsTable.Column.Text]! == "fièvre");
        Assert.Equal(n2Rows, after.Where(r => (string)Column(r, "_resource_key")! == "DocumentReference/n2").Select(r => (string)Column(r, "mention_id")!).ToList());
        var retracted = Parse((await NlpResourcesAsync(lake))[feverCondition]);
        Assert.Equal("entered-in-error", retracted.GetProperty("verificationStatus").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.False(retracted.TryGetProperty("clinicalStatus", out _));
    }

    [Fact]
    public async Task A_note_marked_entered_in_error_loses_its_annotations_and_its_FHIR_is_retracted()
    {
        var lake = NewLake("lake");
        await LandAsync(lake, Note("n1", "p1", "Asthme."));
        await AnnotateAsync(lake);
        var resource = (string)Column(Assert.Single(await RowsAsync(lake)), "fhir_resource")!;

        await LandAsync(lake, Note("n1", "p1", "Asthme.", updated: "2024-05-03T10:00:00Z", status: "entered-in-error"));
        var result = await AnnotateAsync(lake);

        Assert.Equal(1, result.Removed);
        Assert.Empty(await RowsAsync(lake));
        Assert.Equal("entered-in-error", Parse((await NlpResourcesAsync(lake))[resource]).GetProperty("verificationStatus").GetProperty("coding")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_new_lexicon_re_annotates_everything_and_supersedes_what_it_no_longer_finds()
    {
        var lake = NewLake("lake");
        await LandAsync(lake, Note("n1", "p1", "Asthme et HTA."));
        await AnnotateAsync(lake);
        var asthma = Assert.Single(await RowsAsync(lake), r => (string)r[NlpAnnotationsTable.Column.Text]! == "Asthme");

        // The same French lexicon without its asthma terms.
        var lexicon = ConceptLexicon.Build("lexicon-fr.tsv without asthma",
            ConceptLexicon.Shipped(Language.French).Concepts.Values.Where(c => c.Id != (string)Column(asthma, "concept_id")!)
                .SelectMany(c => Terms(c)));
        var annotator = new Annotator(new Dictionary<Language, (ConceptLexicon, AssertionEngine)>
        {
            [Language.French] = (lexicon, AssertionEngine.Shipped(Language.French)),
            [Language.English] = (ConceptLexicon.Shipped(Language.English), AssertionEngine.Shipped(Language.English)),
        });
        Assert.NotEqual(Annotator.Shipped().Fingerprint, annotator.Fingerprint);

        var result = await AnnotateAsync(lake, annotator);

        Assert.True(result.Full);
        var rows = await RowsAsync(lake);
        Assert.DoesNotContain(rows, r => (string)r[NlpAnnotationsTable.Column.Text]! == "Asthme");
        Assert.All(rows, r => Assert.Equal(annotator.Fingerprint, Column(r, "engine_fingerprint")));
        Assert.Equal("entered-in-error", Parse((await NlpResourcesAsync(lake))[(string)Column(asthma, "fhir_resource")!]).GetProperty("verificationStatus").GetProperty("coding")[0].GetProperty("code").GetString());
    }

    private static IEnumerable<Nlp.Terminology.TerminologyTerm> Terms(Concept concept)
    {
        // The display and HTA's abbreviation suffice for this test's text.
        yield return new Nlp.Terminology.TerminologyTerm(concept.Display, concept.Id, concept.Kind, concept.Display, concept.Codes);
        if (concept.Display.Contains("hypertension", StringComparison.OrdinalIgnoreCase))
        {
            yield return new Nlp.Terminology.TerminologyTerm("HTA", concept.Id, concept.Kind, concept.Display, concept.Codes);
        }
    }

    [Fact]
    public async Task A_run_interrupted_after_its_first_batch_and_run_again_leaves_what_an_uninterrupted_run_leaves()
    {
        string[] notes = [.. Enumerable.Range(0, 6).Select(i => Note($"n{i}", $"p{i}", i % 2 == 0 ? "Pas de fièvre. Diabète de type 2." : "Toux et dyspnée. TA 150/95 mmHg."))];
        var whole = NewLake("whole");
        var broken = NewLake("broken");
        foreach (var lake in new[] { whole, broken })
        {
            // One payload per note: one bronze file each, so that batches of one document are cut.
            foreach (var note in notes)
            {
                await LandAsync(lake, note);
            }
        }

        await AnnotateAsync(whole, batch: 1);
        using (var stop = new CancellationTokenSource())
        {
            var progress = new SynchronousProgress<NlpAnnotateProgress>(p =>
            {
                if (p.Done >= 2)
                {
                    stop.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AnnotateAsync(broken, batch: 1, progress: progress, cancellationToken: stop.Token));
        }

        Assert.NotEmpty(await NlpResourcesAsync(broken));
        await AnnotateAsync(broken, batch: 1);

        Assert.Equal(await NlpResourcesAsync(whole), await NlpResourcesAsync(broken));
        var wholeRows = (await RowsAsync(whole)).Select(r => string.Join('|', r.Select(v => v?.ToString())));
        var brokenRows = (await RowsAsync(broken)).Select(r => string.Join('|', r.Select(v => v?.ToString())));
        Assert.Equal(wholeRows, brokenRows);
    }

    [Fact]
    public async Task When_bronzes_change_feed_since_the_last_run_is_gone_the_next_run_reads_everything_again_and_keeps_what_did_not_change()
    {
        var lake = NewLake("lake");
        await LandAsync(lake, Note("n1", "p1", "Pas de fièvre. Diabète de type 2."));
        await AnnotateAsync(lake);
        var before = await RowsAsync(lake);
        await LandAsync(lake, Note("n2", "p2", "Toux et dyspnée."));

        // What an erasure does to bronze's history: a checkpoint at the latest version, the older log removed.
        var bronze = await BronzeTable.OpenAsync(lake, new DeltaTableOptions { CheckpointInterval = 1 });
        await bronze.Table.AppendAsync([]);
        await bronze.Table.CleanUpLogAsync(TimeSpan.FromDays(-1));
        Assert.True(await bronze.Table.GetEarliestCommitVersionAsync() > 1);

        var result = await AnnotateAsync(lake);
        Assert.True(result.Full);
        Assert.Equal((2, 1), (result.Documents, result.Unchanged));
        var after = await RowsAsync(lake);
        Assert.Contains(after, r => (string)r[NlpAnnotationsTable.Column.ResourceKey]! == "DocumentReference/n2");
        Assert.Equal(
            before.Select(r => r[NlpAnnotationsTable.Column.MentionId]),
            after.Where(r => (string)r[NlpAnnotationsTable.Column.ResourceKey]! == "DocumentReference/n1").Select(r => r[NlpAnnotationsTable.Column.MentionId]));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
