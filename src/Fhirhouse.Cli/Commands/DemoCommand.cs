using System.CommandLine;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Validation;
using Fhirhouse.Query;
using Fhirhouse.Synthetic;
using Spectre.Console;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse demo</c>: runs the pipeline end to end on embedded defaults in one folder of the current directory.
/// Generates the synthetic hospital, ingests it into an encrypted lake, materialises the default views and answers a
/// few questions in SQL over them, as admin/operations through the policies (every query audited); then shows what an
/// analyst sees of the same patients and what research is refused.
/// </summary>
internal static class DemoCommand
{
    internal const string MarkerFile = ".fhirhouse-demo";

    public static Command Create(CliContext context)
    {
        var hospital = new HospitalOptionSet(defaultPatients: 3000, defaultFrom: 2021);
        var output = new Option<string>("--out", "-o") { Description = "Demo folder (re-created on each run if it is a previous demo's).", DefaultValueFactory = _ => "fhirhouse-demo" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("demo", "Run the whole pipeline on a generated hospital, with no input; everything goes under one folder named at the end.");
        hospital.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = hospital.Bind(parse);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            PrepareFolder(folder);
            var source = Path.Combine(folder, "source");
            var summary = GenerateCommand.Run(context, options, source, cancellationToken);

            var lakeFolder = Path.Combine(folder, "lake");
            var keyring = Path.Combine(folder, "keys", "keyring.json");
            var lake = await LakeOptionSet.OpenAsync(lakeFolder, keyring, context, cancellationToken).ConfigureAwait(false);
            var files = summary.Files.Select(f => (Path.Combine(source, f), PayloadFormat.Ndjson)).ToList();
            var ingest = await IngestCommand.RunAsync(context, lake.Objects, files, ValidationLevel.Structure, NdjsonReader.DefaultMaxLineBytes, cancellationToken).ConfigureAwait(false);
            var views = await ViewsCommand.RunAsync(context, lake.Objects, DefaultViews.All, refresh: false, cancellationToken).ConfigureAwait(false);
            var policies = await PolicyStore.InForceAsync(lake.Objects, PolicySet.Shipped, cancellationToken).ConfigureAwait(false);
            var governance = await GovernanceOptionSet.OpenAsync(lake, keyring, policies, context, cancellationToken).ConfigureAwait(false);
            var nlp = await NlpAnnotateCommand.RunAsync(context, lake.Objects, Operator, policies, governance.Audit, new Nlp.Annotations.NlpAnnotateOptions().BatchDocuments, cancellationToken).ConfigureAwait(false);
            var catalog = new QueryOptions { Catalog = LakeTables.Catalog(lake.Objects) };
            var answers = new List<(string Question, string Sql, QueryResult Result)>();
            using (var engine = new QueryEngine(lake.Objects, governance.QueryOptions(Operator, EntryPoints.Demo, catalog)))
            {
                foreach (var (question, sql) in Questions)
                {
                    answers.Add((question, sql, await engine.ExecuteAsync(sql, cancellationToken: cancellationToken).ConfigureAwait(false)));
                }
            }

            QueryResult assertions, mentions;
            using (var clinician = new QueryEngine(lake.Objects, governance.QueryOptions(Operator with { Role = "clinician", Purpose = "treatment" }, EntryPoints.Demo, catalog)))
            {
                assertions = await clinician.ExecuteAsync(NlpQuestion, cancellationToken: cancellationToken).ConfigureAwait(false);
                mentions = await clinician.ExecuteAsync(NlpMentions, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            QueryResult masked;
            using (var analyst = new QueryEngine(lake.Objects, governance.QueryOptions(Operator with { Role = "analyst" }, EntryPoints.Demo, catalog)))
            {
                masked = await analyst.ExecuteAsync(MaskedQuestion, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            string refusal;
            QueryResult consented;
            using (var research = new QueryEngine(lake.Objects, governance.QueryOptions(Operator with { Role = "data-scientist", Purpose = "research" }, EntryPoints.Demo, catalog)))
            {
                consented = await research.ExecuteAsync(ResearchQuestion, cancellationToken: cancellationToken).ConfigureAwait(false);
                try
                {
                    await research.ExecuteAsync(DeniedQuestion, cancellationToken: cancellationToken).ConfigureAwait(false);
                    throw new InvalidOperationException($"The shipped policies let research read bronze ('{DeniedQuestion}'); they must not.");
                }
                catch (Query.Access.AccessDeniedException denied)
                {
                    refusal = denied.Message;
                }
            }

            var models = await DemoModels.RunAsync(context, lake.Objects, governance, policies, Operator, options, folder, cancellationToken).ConfigureAwait(false);
            var audited = (await governance.Audit.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Count;

            if (parse.GetValue(json))
            {
                GenerationReport.WriteJson(context.Out, summary, new Dictionary<string, object>
                {
                    ["demoFolder"] = folder,
                    ["lake"] = lakeFolder,
                    ["ingested"] = ingest.Resources,
                    ["quarantined"] = ingest.Quarantined,
                    ["views"] = views.ToDictionary(v => v.View, v => v.RowsWritten),
                    ["nlpMentions"] = nlp.Mentions,
                    ["nlpResources"] = nlp.ResourcesLanded,
                    ["nlpAssertions"] = Rows(assertions),
                    ["answers"] = answers.ToDictionary(a => a.Question, a => Rows(a.Result)),
                    ["analystSees"] = Rows(masked),
                    ["researchSees"] = Rows(consented),
                    ["researchRefused"] = refusal,
                    ["models"] = DemoModels.Summary(models),
                    ["auditRows"] = audited,
                });
            }
            else
            {
                context.Console.MarkupLine("[bold]1. Synthetic hospital[/] (FHIR R4 in the Bulk Data layout)");
                GenerationReport.WriteTable(context.Console, summary, options);
                context.Out.WriteLine();
                context.Console.MarkupLine("[bold]2. Ingestion[/] into the encrypted lake (raw zone, bronze fhir_resources, quarantine)");
                IngestCommand.WriteText(context.Out, ingest);
                context.Out.WriteLine();
                context.Console.MarkupLine("[bold]3. Views and SQL[/]: SQL-on-FHIR views materialised as Delta tables (tables/views/), queried with DuckDB through the decrypting read path");
                ViewsCommand.WriteText(context, views);
                foreach (var (question, sql, result) in answers)
                {
                    context.Out.WriteLine();
                    context.Console.MarkupLine($"[bold]{Markup.Escape(question)}[/]");
                    context.Out.WriteLine(sql);
                    QueryOutput.Write(context, result, "table");
                }

                context.Out.WriteLine();
                context.Console.MarkupLine("[bold]4. Clinical NLP[/]: notes and patient messages annotated (French and English; negation, uncertainty, history, family), written back as FHIR in bronze (source nlp) and as gold.nlp_annotations");
                NlpAnnotateCommand.WriteText(context.Out, nlp);
                context.Out.WriteLine(NlpQuestion);
                QueryOutput.Write(context, assertions, "table");
                context.Out.WriteLine("A few mentions, as a clinician for treatment reads them (the words as written are PHI: analysts and research see them redacted):");
                QueryOutput.Write(context, mentions, "table");
                context.Out.WriteLine("'fhirhouse views refresh' brings the NLP Conditions and Observations into the views; 'fhirhouse nlp show DocumentReference/ID --html note.html' shows one note's annotations.");

                context.Out.WriteLine();
                context.Console.MarkupLine("[bold]5. Governance[/]: the questions above ran as admin/operations through the policies (policies/*.json); an analyst sees the same patients masked:");
                context.Out.WriteLine(MaskedQuestion);
                QueryOutput.Write(context, masked, "table");
                context.Out.WriteLine($"Research sees only the patients whose Consent permits research ({ResearchQuestion}): {QueryOutput.Text(consented.Rows[0][0])} of {summary.Patients}.");
                context.Out.WriteLine($"Research asking '{DeniedQuestion}' is refused: {refusal}");
                context.Out.WriteLine($"Every query, the refused one included, is in the audit log (tables/audit_log): {audited} rows; 'fhirhouse audit list' shows them.");

                context.Out.WriteLine();
                context.Console.MarkupLine($"[bold]6. Models[/]: the shipped pipeline {DemoModels.Pipeline} (type 2 diabetes within a year of a visit, with the family history the NLP read in the notes) trained, gated and registered with its table versions, monitored month by month for drift and (estimated) performance, retrained under the same gates");
                DemoModels.WriteText(context, models);

                context.Out.WriteLine();
                context.Out.WriteLine($"Demo folder: {folder}");
                context.Out.WriteLine($"  source/   the hospital's FHIR export ({summary.Files.Count} NDJSON files), {HospitalGenerator.GroundTruthFileName}, {HospitalGenerator.ManifestFileName}");
                context.Out.WriteLine("  lake/     the encrypted lake: raw payloads and Delta tables (every object AES-256-GCM)");
                context.Out.WriteLine("  keys/     the demo's local keyring and master key (keep real keys away from the lake)");
                if (models.Html is not null)
                {
                    context.Out.WriteLine("  ml-report.html, ml-report.json   the models' monitoring report");
                }

                context.Out.WriteLine($"Look at it: fhirhouse table describe fhir_resources --lake {lakeFolder} --keyring {keyring}");
                context.Out.WriteLine($"Ask it:     fhirhouse sql \"SELECT gender, count(*) FROM patient GROUP BY gender\" --role analyst --purpose operations --lake {lakeFolder} --keyring {keyring}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The demo reads as the operator for operations: the one role the shipped policies let read everything.</summary>
    internal static readonly AccessIdentity Operator = new("demo", "admin", "operations");

    /// <summary>What the NLP found, by assertion: the concepts most often mentioned in notes and messages.</summary>
    internal const string NlpQuestion =
        "SELECT display, language, count(*) FILTER (WHERE negation = 'Affirmed' AND temporality = 'Recent' AND experiencer = 'Patient') AS present, " +
        "count(*) FILTER (WHERE negation = 'Negated') AS negated, count(*) FILTER (WHERE negation = 'Possible') AS possible, " +
        "count(*) FILTER (WHERE temporality = 'Historical') AS past, count(*) FILTER (WHERE experiencer = 'Other') AS family " +
        "FROM gold.nlp_annotations WHERE kind = 'concept' GROUP BY display, language ORDER BY count(*) DESC LIMIT 8";

    /// <summary>A few mentions with their assertion and the FHIR resource each became.</summary>
    internal const string NlpMentions =
        "SELECT text, display, negation, temporality, experiencer, split_part(fhir_resource, '/', 1) AS fhir FROM gold.nlp_annotations " +
        "WHERE kind = 'concept' AND (negation <> 'Affirmed' OR experiencer = 'Other' OR temporality <> 'Recent') ORDER BY mention_id LIMIT 6";

    internal const string MaskedQuestion = "SELECT left(id, 16) AS id_hash, family, given, birth_date, postal_code, gender FROM patient ORDER BY birth_date LIMIT 3";

    internal const string DeniedQuestion = "SELECT count(*) FROM fhir_resources";

    internal const string ResearchQuestion = "SELECT count(*) FROM patient";

    private static List<Dictionary<string, string?>> Rows(QueryResult result) =>
        result.Rows.Select(r => result.Columns.Select((c, i) => (c.Name, Value: QueryOutput.Text(r[i]))).ToDictionary(x => x.Name, x => x.Value)).ToList();

    /// <summary>Real questions the demo answers in SQL over the views.</summary>
    internal static readonly IReadOnlyList<(string Question, string Sql)> Questions =
    [
        ("Patients per condition per year (the 3 commonest conditions of each of the last 5 years of onset)",
            """
            WITH per_year AS (
                SELECT substr(onset, 1, 4) AS year, display AS condition, count(DISTINCT patient_id) AS patients
                FROM condition WHERE onset IS NOT NULL GROUP BY 1, 2),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY year ORDER BY patients DESC, condition) AS rank,
                       dense_rank() OVER (ORDER BY year DESC) AS recent
                FROM per_year)
            SELECT year, condition, patients FROM ranked WHERE rank <= 3 AND recent <= 5
            ORDER BY year DESC, patients DESC, condition
            """),
        ("Mean HbA1c (LOINC 4548-4) of patients with type 2 diabetes, by year",
            """
            SELECT substr(o.effective, 1, 4) AS year, count(*) AS results, count(DISTINCT o.patient_id) AS patients,
                   round(avg(o.value), 2) AS mean_hba1c, any_value(o.unit) AS unit
            FROM observation o
            WHERE o.code = '4548-4' AND o.value IS NOT NULL
              AND o.patient_id IN (SELECT patient_id FROM condition WHERE code IN ('44054006', 'E11.9'))
            GROUP BY year ORDER BY year
            """),
        ("Encounters per class",
            """
            SELECT class_code, count(*) AS encounters, count(DISTINCT patient_id) AS patients
            FROM encounter GROUP BY class_code ORDER BY encounters DESC
            """),
    ];

    /// <summary>Creates the folder, or clears it when it holds a previous demo; refuses a non-empty folder that is not a demo's.</summary>
    internal static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, MarkerFile)))
            {
                throw new IOException($"{folder} exists and is not a Fhirhouse demo folder; choose another with --out.");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, MarkerFile), "This folder is written by 'fhirhouse demo' and re-created on each run.\n");
    }
}
