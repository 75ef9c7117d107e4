using System.CommandLine;
using Fhirhouse.Errors;
using Fhirhouse.Nlp.Assertion;

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
        return command;
    }

    private static Command Text(CliContext context)
    {
        var text = new Argument<string>("text") { Description = "The text to annotate (quote it); '-' reads standard input." };
        var language = new Option<string>("--language") { Description = "auto (from the text's function words), en or fr.", DefaultValueFactory = _ => "auto" };
        language.AcceptOnlyFromAmong("auto", "en", "fr");
        var json = new Option<bool>("--json") { Description = "One JSON object per mention, one per line." };
        var command = new Command("text", "Find the clinical concepts of a text (French or English) with their codes and assertion: negation, temporality, experiencer.");
        command.Arguments.Add(text);
        command.Options.Add(language);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(text)!;
            var input = given == "-" ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : given;
            var annotator = Nlp.Annotator.Shipped();
            var (mentions, read) = annotator.Annotate(input, Language(parse.GetValue(language)));
            foreach (var m in mentions)
            {
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                    {
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
                        rules = m.Assertion.Rules,
                        fuzzy = m.Fuzzy,
                    }));
                }
                else
                {
                    context.Out.WriteLine($"{m.Start}-{m.End}\t{m.Text}\t{m.Concept.Display} ({string.Join(' ', m.Concept.Codes.Select(c => c.Code))})\t{m.Assertion.Negation}/{m.Assertion.Temporality}/{m.Assertion.Experiencer}");
                }
            }

            context.Error.WriteLine($"nlp text: {mentions.Count} mentions, read as {(read == Nlp.Assertion.Language.French ? "French" : "English")} ({annotator.Versions})");
            return ExitCodes.Ok;
        });
        return command;
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
