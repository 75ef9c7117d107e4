using System.Globalization;
using System.Text;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Measurements;
using Fhirhouse.Nlp.Medications;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Rendering;

/// <summary>
/// A resource's texts with what the engine read in them, as one self-contained HTML page for a clinician: each concept
/// highlighted in the colour of its assertion with badges (NEG, POSS, HYP, HIST, FAM) and a tooltip naming its codes and
/// the rules that decided it, measurements and drugs underlined, a legend, and a table per text of every mention. The
/// page has no script and loads nothing; everything written from the text is escaped. Overlapping spans (a drug inside a
/// dosage, two concepts on the same words) are cut into segments so the markup always nests.
/// </summary>
public static class AnnotationHtml
{
    /// <summary>The page for <paramref name="title"/> (a resource key) and its texts, each with its path and its reading.</summary>
    public static string Render(string title, IReadOnlyList<(string Path, string Text, TextReading Reading)> texts)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(texts);
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>")
            .Append(Escape(title)).Append(" · Fhirhouse NLP</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<h1>")
            .Append(Escape(title)).Append("</h1>\n");
        AppendLegend(html);
        if (texts.Count == 0)
        {
            html.Append("<p class=\"empty\">This resource has no text the engine reads.</p>\n");
        }

        foreach (var (path, text, reading) in texts)
        {
            ArgumentNullException.ThrowIfNull(text);
            ArgumentNullException.ThrowIfNull(reading);
            html.Append("<section>\n<h2>").Append(Escape(path)).Append(" <span class=\"lang\">")
                .Append(reading.Language == Language.French ? "French" : "English").Append("</span></h2>\n<div class=\"text\">");
            AppendText(html, text, reading);
            html.Append("</div>\n");
            AppendTables(html, reading);
            html.Append("</section>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>The CSS class of a mention's highlight: family first, then negated, possible, hypothetical, historical.</summary>
    public static string ClassOf(MentionAssertion assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return assertion.Experiencer == Experiencer.Other ? "fam"
            : assertion.Negation == Negation.Negated ? "neg"
            : assertion.Negation == Negation.Possible ? "poss"
            : assertion.Temporality == Temporality.Hypothetical ? "hyp"
            : assertion.Temporality == Temporality.Historical ? "hist"
            : "present";
    }

    /// <summary>The badges of a mention's assertion, in a fixed order; none for a present, affirmed mention of the patient.</summary>
    public static IReadOnlyList<string> BadgesOf(MentionAssertion assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var badges = new List<string>(2);
        if (assertion.Negation == Negation.Negated)
        {
            badges.Add("NEG");
        }
        else if (assertion.Negation == Negation.Possible)
        {
            badges.Add("POSS");
        }

        if (assertion.Temporality == Temporality.Hypothetical)
        {
            badges.Add("HYP");
        }
        else if (assertion.Temporality == Temporality.Historical)
        {
            badges.Add("HIST");
        }

        if (assertion.Experiencer == Experiencer.Other)
        {
            badges.Add("FAM");
        }

        return badges;
    }

    private enum SpanKind
    {
        Concept,
        Measurement,
        Medication,
    }

    private sealed record Span(SpanKind Kind, int Start, int End, int Index, string Title, string Class, IReadOnlyList<string> Badges);

    private static void AppendText(StringBuilder html, string text, TextReading reading)
    {
        var spans = Spans(text.Length, reading);
        var cuts = new SortedSet<int> { 0, text.Length };
        foreach (var span in spans)
        {
            cuts.Add(span.Start);
            cuts.Add(span.End);
        }

        var bounds = cuts.ToArray();
        for (var i = 0; i + 1 < bounds.Length; i++)
        {
            var (from, to) = (bounds[i], bounds[i + 1]);
            var covering = spans.Where(s => s.Start <= from && s.End >= to).ToList();
            var concepts = covering.Where(s => s.Kind == SpanKind.Concept).ToList();
            var others = covering.Where(s => s.Kind != SpanKind.Concept).ToList();
            foreach (var other in others)
            {
                html.Append("<span class=\"").Append(other.Class).Append("\" title=\"").Append(Escape(other.Title)).Append("\">");
            }

            if (concepts.Count > 0)
            {
                // The shortest concept on these words colours them; the tooltip names every one.
                var shown = concepts.OrderBy(c => c.End - c.Start).ThenBy(c => c.Index).First();
                html.Append("<mark class=\"").Append(shown.Class).Append("\" title=\"")
                    .Append(Escape(string.Join("\n", concepts.OrderBy(c => c.Index).Select(c => c.Title)))).Append("\">");
            }

            html.Append(Escape(text.AsSpan(from, to - from)));
            if (concepts.Count > 0)
            {
                html.Append("</mark>");
            }

            for (var o = others.Count - 1; o >= 0; o--)
            {
                html.Append("</span>");
            }

            foreach (var ending in concepts.Where(c => c.End == to).OrderBy(c => c.Index))
            {
                html.Append("<sup class=\"ref\">").Append(ending.Index.ToString(CultureInfo.InvariantCulture)).Append("</sup>");
                foreach (var badge in ending.Badges)
                {
                    html.Append("<span class=\"badge ").Append(badge.ToLowerInvariant()).Append("\">").Append(badge).Append("</span>");
                }
            }
        }
    }

    private static List<Span> Spans(int length, TextReading reading)
    {
        var spans = new List<Span>();
        var index = 0;
        foreach (var mention in reading.Mentions)
        {
            index++;
            if (Valid(mention.Start, mention.End, length))
            {
                spans.Add(new Span(SpanKind.Concept, mention.Start, mention.End, index, ConceptTitle(mention), ClassOf(mention.Assertion), BadgesOf(mention.Assertion)));
            }
        }

        foreach (var measurement in reading.Measurements)
        {
            if (Valid(measurement.Start, measurement.End, length))
            {
                spans.Add(new Span(SpanKind.Measurement, measurement.Start, measurement.End, 0, MeasurementTitle(measurement), "measure", []));
            }
        }

        foreach (var medication in reading.Medications)
        {
            if (Valid(medication.Start, medication.End, length))
            {
                spans.Add(new Span(SpanKind.Medication, medication.Start, medication.End, 0, MedicationTitle(medication), "drug", []));
            }
        }

        return spans;
    }

    private static bool Valid(int start, int end, int length) => start >= 0 && end > start && end <= length;

    private static string ConceptTitle(Mention mention)
    {
        var assertion = mention.Assertion;
        var title = new StringBuilder();
        title.Append(mention.Concept.Display).Append(" (").Append(mention.Concept.Id).Append(')');
        foreach (var coding in mention.Concept.Codes)
        {
            title.Append(" · ").Append(ShortSystem(coding.System)).Append(' ').Append(coding.Code);
        }

        title.Append(" | ").Append(assertion.Negation).Append(", ").Append(assertion.Temporality).Append(", ").Append(assertion.Experiencer);
        if (mention.Relative is { } relative)
        {
            title.Append(" (").Append(relative.Display).Append(')');
        }

        if (mention.Section != SectionKind.None)
        {
            title.Append(" | section ").Append(mention.Section);
        }

        if (assertion.Rules.Count > 0)
        {
            title.Append(" | rules ").Append(string.Join(" ", assertion.Rules));
        }

        if (mention.Fuzzy)
        {
            title.Append(" | spelling corrected");
        }

        return title.ToString();
    }

    private static string MeasurementTitle(MeasurementMention measurement) =>
        $"{measurement.Display} (LOINC {measurement.Loinc}): {ValueOf(measurement)}";

    private static string MedicationTitle(MedicationMention medication) =>
        $"{medication.Drug.Concept.Display}: {DosageOf(medication)}";

    private static string ValueOf(MeasurementMention measurement)
    {
        var value = measurement.Components.Count > 1
            ? string.Join("/", measurement.Components.Select(c => c.Value.ToString(CultureInfo.InvariantCulture)))
            : measurement.Value.ToString(CultureInfo.InvariantCulture);
        return $"{measurement.Comparator}{value} {measurement.Ucum}" + (measurement.UnitImplied ? " (unit implied)" : "") + (measurement.Rescaled ? " (rescaled)" : "");
    }

    private static string DosageOf(MedicationMention medication)
    {
        var parts = new List<string>();
        if (medication.Strength is { } strength)
        {
            parts.Add($"{strength.Value.ToString(CultureInfo.InvariantCulture)} {strength.Unit}");
        }

        if (medication.DoseQuantity is { } dose)
        {
            parts.Add($"dose {dose.Value.ToString(CultureInfo.InvariantCulture)} {dose.Unit}");
        }

        if (medication.Form is { } form)
        {
            parts.Add(form);
        }

        if (medication.Route is { } route)
        {
            parts.Add(route.Display);
        }

        if (medication.Timing is { } timing)
        {
            parts.Add($"{timing.Frequency.ToString(CultureInfo.InvariantCulture)} per {timing.Period.ToString(CultureInfo.InvariantCulture)} {timing.PeriodUnit}"
                + (timing.When.Count > 0 ? " (" + string.Join(", ", timing.When) + ")" : ""));
        }

        if (medication.Duration is { } duration)
        {
            parts.Add($"for {duration.Value.ToString(CultureInfo.InvariantCulture)} {duration.Unit}");
        }

        if (medication.AsNeeded)
        {
            parts.Add(medication.AsNeededFor is { } reason ? $"as needed for {reason}" : "as needed");
        }

        if (medication.Status == MedicationStatus.Stopped)
        {
            parts.Add("stopped");
        }

        return parts.Count == 0 ? "no dosage written" : string.Join(", ", parts);
    }

    private static string ShortSystem(string system) => system switch
    {
        "http://snomed.info/sct" => "SNOMED",
        "http://hl7.org/fhir/sid/icd-10" => "ICD-10",
        "http://hl7.org/fhir/sid/icd-10-cm" => "ICD-10-CM",
        "http://loinc.org" => "LOINC",
        "http://www.nlm.nih.gov/research/umls/rxnorm" => "RxNorm",
        "http://www.whocc.no/atc" => "ATC",
        _ => system,
    };

    private static void AppendLegend(StringBuilder html)
    {
        html.Append("<p class=\"legend\">")
            .Append("<mark class=\"present\">present</mark> ")
            .Append("<mark class=\"neg\">negated</mark><span class=\"badge neg\">NEG</span> ")
            .Append("<mark class=\"poss\">possible</mark><span class=\"badge poss\">POSS</span> ")
            .Append("<mark class=\"hyp\">hypothetical</mark><span class=\"badge hyp\">HYP</span> ")
            .Append("<mark class=\"hist\">history</mark><span class=\"badge hist\">HIST</span> ")
            .Append("<mark class=\"fam\">family</mark><span class=\"badge fam\">FAM</span> ")
            .Append("<span class=\"measure\">measurement</span> ")
            .Append("<span class=\"drug\">drug and dosage</span>")
            .Append(" · hover a span for its codes and the rules that decided it</p>\n");
    }

    private static void AppendTables(StringBuilder html, TextReading reading)
    {
        if (reading.Mentions.Count == 0 && reading.Measurements.Count == 0 && reading.Medications.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing found in this text.</p>\n");
            return;
        }

        if (reading.Mentions.Count > 0)
        {
            html.Append("<table>\n<tr><th>#</th><th>Text</th><th>Concept</th><th>Codes</th><th>Negation</th><th>Temporality</th><th>Experiencer</th><th>Section</th><th>Rules</th></tr>\n");
            var index = 0;
            foreach (var mention in reading.Mentions)
            {
                index++;
                var assertion = mention.Assertion;
                html.Append("<tr class=\"").Append(ClassOf(assertion)).Append("\"><td>").Append(index.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(Escape(mention.Text))
                    .Append("</td><td>").Append(Escape(mention.Concept.Display))
                    .Append("</td><td>").Append(Escape(string.Join(", ", mention.Concept.Codes.Select(c => ShortSystem(c.System) + " " + c.Code))))
                    .Append("</td><td>").Append(assertion.Negation)
                    .Append("</td><td>").Append(assertion.Temporality)
                    .Append("</td><td>").Append(assertion.Experiencer).Append(mention.Relative is { } relative ? " (" + Escape(relative.Display) + ")" : "")
                    .Append("</td><td>").Append(mention.Section == SectionKind.None ? "" : mention.Section.ToString())
                    .Append("</td><td>").Append(Escape(string.Join(" ", assertion.Rules)))
                    .Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        if (reading.Measurements.Count > 0)
        {
            html.Append("<table>\n<tr><th>Measurement</th><th>Test</th><th>LOINC</th><th>Value</th></tr>\n");
            foreach (var measurement in reading.Measurements)
            {
                html.Append("<tr><td>").Append(Escape(measurement.Text)).Append("</td><td>").Append(Escape(measurement.Display))
                    .Append("</td><td>").Append(Escape(measurement.Loinc)).Append("</td><td>").Append(Escape(ValueOf(measurement))).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        if (reading.Medications.Count > 0)
        {
            html.Append("<table>\n<tr><th>Medication</th><th>Drug</th><th>Dosage</th></tr>\n");
            foreach (var medication in reading.Medications)
            {
                html.Append("<tr><td>").Append(Escape(medication.Text)).Append("</td><td>").Append(Escape(medication.Drug.Concept.Display))
                    .Append("</td><td>").Append(Escape(DosageOf(medication))).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    /// <summary>Text escaped for HTML content and quoted attributes: &amp;, &lt;, &gt;, quotes; control characters but tab and newline dropped.</summary>
    public static string Escape(ReadOnlySpan<char> text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&#39;"); break;
                case '\n' or '\t': escaped.Append(c); break;
                case '\r': break;
                default:
                    if (!char.IsControl(c))
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
        h1 { font-size: 1.3em; } h2 { font-size: 1.05em; margin-top: 2em; } .lang { color: #777; font-weight: normal; }
        .text { white-space: pre-wrap; line-height: 1.9; border: 1px solid #ddd; padding: 1em; border-radius: 4px; background: #fcfcfc; }
        mark { border-radius: 3px; padding: 0 1px; }
        mark.present { background: #c8f0c8; } mark.neg { background: #f8c8c8; text-decoration: line-through; }
        mark.poss { background: #fde7b0; } mark.hyp { background: #e2d4f7; } mark.hist { background: #d0e2f5; } mark.fam { background: #c8ece9; }
        .measure { border-bottom: 2px solid #1f6fb2; } .drug { border-bottom: 2px dashed #a0522d; }
        .badge { font-size: 0.65em; font-weight: bold; padding: 0 3px; margin-left: 2px; border-radius: 3px; color: #fff; vertical-align: super; }
        .badge.neg { background: #c0392b; } .badge.poss { background: #d68910; } .badge.hyp { background: #7d3c98; }
        .badge.hist { background: #2e6da4; } .badge.fam { background: #138d75; }
        sup.ref { color: #777; font-size: 0.6em; }
        .legend { font-size: 0.9em; } .empty { color: #777; }
        table { border-collapse: collapse; margin-top: 1em; font-size: 0.85em; width: 100%; }
        th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
        tr.neg td:first-child { border-left: 4px solid #c0392b; } tr.poss td:first-child { border-left: 4px solid #d68910; }
        tr.hyp td:first-child { border-left: 4px solid #7d3c98; } tr.hist td:first-child { border-left: 4px solid #2e6da4; }
        tr.fam td:first-child { border-left: 4px solid #138d75; } tr.present td:first-child { border-left: 4px solid #27ae60; }

        """;
}
