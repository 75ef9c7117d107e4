using System.CommandLine;
using Fhirhouse.Errors;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse nlp assert FILE</c>: the assertion engine (ConText rules, French and English) over a TSV of sentences and
/// target phrases, in the NegEx/ConText test kit's conventions; one output line per input line on standard output, and
/// precision, recall and F1 per class on standard error when the file has the expected columns.
/// </summary>
internal static class NlpCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("nlp", "Clinical NLP: assertion of clinical mentions (negation, uncertainty, temporality, experiencer) in French and English.");
        command.Subcommands.Add(Assert(context));
        command.Subcommands.Add(Text(context));
        command.Subcommands.Add(LexiconCommand(context));
        command.Subcommands.Add(NlpAnnotateCommand.Create(context));
        command.Subcommands.Add(NlpShowCommand.Create(context));
        command.Subcommands.Add(NlpEvaluateCommand.Create(context));
        return command;
    }

    private static readonly Dictionary<string, TerminologyFormat> s_formats = new(StringComparer.Ordinal)
    {
        ["icd10cm-order"] = TerminologyFormat.Icd10CmOrder,
        ["snomed-rf2"] = TerminologyFormat.SnomedDescriptions,
        ["umls-mrconso"] = TerminologyFormat.UmlsConcepts,
        ["loinc"] = TerminologyFormat.LoincTable,
        ["atih-cim10"] = TerminologyFormat.AtihCim10,
    };

    private static Command LexiconCommand(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The release file: icd10cm_order_YYYY.txt, sct2_Description_Snapshot-*.txt, MRCONSO.RRF, Loinc.csv, LIBCIM10MULTI.TXT." };
        var format = new Option<string>("--format") { Description = "auto (from the file's name), " + string.Join(", ", s_formats.Keys) + ".", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(["auto", .. s_formats.Keys]);
        var output = new Option<string>("--out") { Description = "The lexicon file to write (TSV, the built-in lexicons' format).", Required = true };
        var version = new Option<string?>("--version") { Description = "The version recorded in the lexicon (default: the release file's name)." };
        var language = new Option<string?>("--language") { Description = "en or fr: SNOMED CT descriptions or UMLS names of that language (default: the format's own)." };
        language.AcceptOnlyFromAmong("en", "fr");
        var sources = new Option<string[]>("--sources") { Description = "UMLS only: the sources (SAB) whose names become terms, e.g. SNOMEDCT_US MSHFRE.", AllowMultipleArgumentsPerToken = true };
        var categories = new Option<bool>("--include-categories") { Description = "ICD-10-CM and ATIH: also the category codes (E11 'Type 2 diabetes mellitus'), not only those valid for coding." };
        var shortLabels = new Option<bool>("--short-labels") { Description = "ICD-10-CM and ATIH: also the short descriptions as terms." };
        var import = new Command("import", "Turn a terminology release file you hold under its licence into a lexicon file for the annotator (nlp text --lexicon).");
        import.Arguments.Add(file);
        foreach (var option in new Option[] { format, output, version, language, sources, categories, shortLabels })
        {
            import.Options.Add(option);
        }

        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw FhirhouseException.PathNotFound(Path.GetFullPath(path), "terminology release file");
            }

            var chosen = parse.GetValue(format) is "auto" or null
                ? TerminologyImport.Guess(path) ?? throw new ArgumentException($"--format: the file name '{Path.GetFileName(path)}' says no format; give one of {string.Join(", ", s_formats.Keys)}.")
                : s_formats[parse.GetValue(format)!];
            var options = new TerminologyOptions
            {
                Language = Language(parse.GetValue(language)),
                Sources = parse.GetValue(sources) is { Length: > 0 } named ? named : null,
                IncludeCategories = parse.GetValue(categories),
                ShortLabels = parse.GetValue(shortLabels),
            };
            var target = parse.GetValue(output)!;
            var written = 0;
            var temporary = target + ".partial";
            await using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(false)))
            {
                written = LexiconFile.Write(writer, parse.GetValue(version) ?? Path.GetFileName(path), TerminologyImport.Read(chosen, path, options), $"imported from {Path.GetFileName(path)} ({chosen})");
            }

            File.Move(temporary, target, overwrite: true);
            context.Error.WriteLine($"nlp lexicon import: {written} terms from {Path.GetFileName(path)} ({chosen}) written to {target}");
            return ExitCodes.Ok;
        });
        var command = new Command("lexicon", "Lexicons of clinical terms: import terminology release files.");
        command.Subcommands.Add(import);
        return command;
    }

    private static Command Text(CliContext context)
    {
        var text = new Argument<string?>("text") { Description = "The text to annotate (quote it); '-' reads standard input. Not with --resource.", Arity = ArgumentArity.ZeroOrOne };
        var language = new Option<string>("--language") { Description = "auto (from the text's function words), en or fr.", DefaultValueFactory = _ => "auto" };
        language.AcceptOnlyFromAmong("auto", "en", "fr");
        var json = new Option<bool>("--json") { Description = "One JSON object per mention, one per line." };
        var lexicon = new Option<string?>("--lexicon") { Description = "A lexicon file (nlp lexicon import) used in place of the built-in one of --language (en or fr)." };
        var resource = new Option<string?>("--resource") { Description = "Annotate the text of a resource in the lake instead (DocumentReference/ID ...), through the guard and audited, as nlp show." };
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var command = new Command("text", "Find the clinical concepts of a text (French or English) with their codes and assertion (negation, temporality, experiencer), its measurements and its drugs' dosages.");
        command.Arguments.Add(text);
        command.Options.Add(language);
        command.Options.Add(json);
        command.Options.Add(lexicon);
        command.Options.Add(resource);
        lake.AddTo(command);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(resource) is { } key)
            {
                if (parse.GetValue(text) is not null || parse.GetValue(lexicon) is not null)
                {
                    throw new ArgumentException("--resource annotates a resource of the lake with the built-in lexicons: give no text and no --lexicon with it.");
                }

                var (document, texts) = await NlpShowCommand.ReadAsync(parse, lake, governance, context, key, "nlp text", cancellationToken).ConfigureAwait(false);
                foreach (var t in texts)
                {
                    WriteMentions(context, t.Reading, parse.GetValue(json));
                }

                context.Error.WriteLine($"nlp text: {document.Key}: {texts.Count} texts, {texts.Sum(t => t.Reading.Mentions.Count)} mentions");
                return ExitCodes.Ok;
            }

            var given = parse.GetValue(text) ?? throw new ArgumentException("Give the text to annotate (or '-' for standard input, or --resource Type/id for a resource of the lake).");
            var input = given == "-" ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : given;
            var annotator = parse.GetValue(lexicon) is { } lexiconPath
                ? await WithLexiconAsync(lexiconPath, Language(parse.GetValue(language)), cancellationToken).ConfigureAwait(false)
                : Nlp.Annotator.Shipped();
            var reading = annotator.Read(input, Language(parse.GetValue(language)));
            WriteMentions(context, reading, parse.GetValue(json));
            context.Error.WriteLine($"nlp text: {reading.Mentions.Count} mentions, {reading.Measurements.Count} measurements, {reading.Medications.Count} drug dosages, read as {(reading.Language == Nlp.Assertion.Language.French ? "French" : "English")} ({annotator.Versions})");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Prints what was read in a text: one line (or JSON object) per concept mention, then per measurement and per drug
    /// dosage; a JSON object's <c>type</c> says which (<c>mention</c>, <c>measurement</c>, <c>medication</c>).
    /// </summary>
    public static void WriteMentions(CliContext context, Nlp.TextReading reading, bool json)
    {
        foreach (var m in reading.Mentions)
        {
            context.Out.WriteLine(json
                ? System.Text.Json.JsonSerializer.Serialize(new
                {
                    type = "mention",
                    text = m.Text,
                    start = m.Start,
                    end = m.End,
                    concept = m.Concept.Id,
                    display = m.Concept.Display,
                    kind = m.Concept.Kind.ToString(),
                    codes = m.Concept.Codes.Select(c => new { system = c.System, code = c.Code }),
                    negation = m.Assertion.Negation.ToString(),
                    temporality = m.Assertion.Temporality.ToString(),
                    experiencer = m.Assertion.Experiencer.ToString(),
                    relative = m.Relative?.Code,
                    section = m.Section.ToString(),
                    rules = m.Assertion.Rules,
                    fuzzy = m.Fuzzy,
                })
                : $"{m.Start}-{m.End}\t{m.Text}\t{m.Concept.Display} ({string.Join(' ', m.Concept.Codes.Select(c => c.Code))})\t{m.Assertion.Negation}/{m.Assertion.Temporality}/{m.Assertion.Experiencer}{(m.Relative is { } r ? " (" + r.Display + ")" : "")}");
        }

        foreach (var m in reading.Measurements)
        {
            var value = m.Components.Count > 0
                ? string.Join('/', m.Components.Select(c => c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                : (m.Comparator ?? "") + m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Out.WriteLine(json
                ? System.Text.Json.JsonSerializer.Serialize(new
                {
                    type = "measurement",
                    text = m.Text,
                    start = m.Start,
                    end = m.End,
                    test = m.TestId,
                    loinc = m.Loinc,
                    display = m.Display,
                    value = m.Value,
                    comparator = m.Comparator,
                    unit = m.Ucum,
                    unitImplied = m.UnitImplied,
                    components = m.Components.Select(c => new { loinc = c.Loinc, display = c.Display, value = c.Value }),
                })
                : $"{m.Start}-{m.End}\t{m.Text}\t{m.Display} (LOINC {m.Loinc})\t{value} {m.Ucum}");
        }

        foreach (var m in reading.Medications)
        {
            var dose = m.DoseQuantity ?? m.Strength;
            context.Out.WriteLine(json
                ? System.Text.Json.JsonSerializer.Serialize(new
                {
                    type = "medication",
                    text = m.Text,
                    start = m.Start,
                    end = m.End,
                    drug = m.Drug.Concept.Id,
                    display = m.Drug.Concept.Display,
                    codes = m.Drug.Concept.Codes.Select(c => new { system = c.System, code = c.Code }),
                    dose = dose is null ? null : new { value = dose.Value, unit = dose.Unit },
                    dailyDose = m.DailyDose is null ? null : new { value = m.DailyDose.Value, unit = m.DailyDose.Unit },
                    route = m.Route?.Display,
                    frequency = m.Timing?.Frequency,
                    period = m.Timing?.Period,
                    periodUnit = m.Timing?.PeriodUnit,
                    when = m.Timing?.When,
                    asNeeded = m.AsNeeded,
                    asNeededFor = m.AsNeededFor,
                    status = m.Status.ToString(),
                })
                : $"{m.Start}-{m.End}\t{m.Text}\t{m.Drug.Concept.Display}\t{Dosage(m)}");
        }
    }

    private static string Dosage(Nlp.Medications.MedicationMention m)
    {
        var parts = new List<string>();
        if ((m.DoseQuantity ?? m.Strength) is { } dose)
        {
            parts.Add(dose.Text);
        }

        if (m.Route is { } route)
        {
            parts.Add(route.Display);
        }

        if (m.Timing is { } timing)
        {
            parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timing.Frequency} per {timing.Period} {timing.PeriodUnit}"));
        }

        if (m.AsNeeded)
        {
            parts.Add("as needed" + (m.AsNeededFor is { } what ? " for " + what : ""));
        }

        parts.Add(m.Status.ToString().ToLowerInvariant());
        return string.Join(", ", parts);
    }

    private static async Task<Nlp.Annotator> WithLexiconAsync(string path, Nlp.Assertion.Language? language, CancellationToken cancellationToken)
    {
        if (language is not { } chosen)
        {
            throw new ArgumentException("--lexicon replaces the built-in lexicon of one language: give --language en or fr with it.");
        }

        if (!File.Exists(path))
        {
            throw FhirhouseException.PathNotFound(Path.GetFullPath(path), "lexicon file");
        }

        using var reader = new StreamReader(path);
        var lexicon = await Task.Run(() => ConceptLexicon.Parse(Path.GetFileName(path), reader), cancellationToken).ConfigureAwait(false);
        return new Nlp.Annotator(new Dictionary<Nlp.Assertion.Language, (ConceptLexicon, AssertionEngine)> { [chosen] = (lexicon, AssertionEngine.Shipped(chosen)) });
    }

    private static Nlp.Assertion.Language? Language(string? option) => option switch
    {
        "en" => Nlp.Assertion.Language.English,
        "fr" => Nlp.Assertion.Language.French,
        _ => null,
    };

    private static Command Assert(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "TSV: sentence<TAB>target phrase[<TAB>negation<TAB>temporality<TAB>experiencer]; '-' reads standard input." };
        var language = new Option<string>("--language") { Description = "auto (per sentence, from its function words), en or fr.", DefaultValueFactory = _ => "auto" };
        language.AcceptOnlyFromAmong("auto", "en", "fr");
        var command = new Command("assert", "Decide negation (Affirmed|Negated|Possible), temporality (Recent|Historical|Hypothetical) and experiencer (Patient|Other) of each target phrase in its sentence; score against expected columns when given.");
        command.Arguments.Add(file);
        command.Options.Add(language);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            IReadOnlyList<string> lines = path == "-"
                ? (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Split('\n')
                : File.Exists(path) ? await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false) : throw FhirhouseException.PathNotFound(Path.GetFullPath(path), "assertion file");
            var results = AssertTsv.Shipped().Run(lines, Language(parse.GetValue(language)));
            foreach (var line in results)
            {
                context.Out.WriteLine(AssertTsv.Format(line));
                if (line.Problem is { } problem)
                {
                    context.Error.WriteLine($"nlp assert: {path}, line {line.Line}: {problem}");
                }
            }

            if (results.Any(r => r.Result is not null && r.Columns.Length >= 5))
            {
                foreach (var score in AssertTsv.Score(results))
                {
                    context.Error.WriteLine("nlp assert: " + score);
                }
            }

            return results.Any(r => r.Problem is not null) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
