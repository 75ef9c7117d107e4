using System.Globalization;
using System.Net;
using System.Text;
using Fhirhouse.Ml.Registry;

namespace Fhirhouse.Ml.Reporting;

/// <summary>The report as one HTML page: no script, no external asset, figures as inline PNG, every text encoded.</summary>
internal static class ReportHtml
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;max-width:960px;color:#222;line-height:1.45;padding:0 1em}
        h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;margin:0}dt{color:#555}dd{margin:0}
        .summary{font-size:1.1em;background:#f4f6fa;border-left:4px solid #4c72b0;padding:.7em 1em}
        table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0}th,td{border-bottom:1px solid #e4e4e4;padding:.3em .5em;text-align:left;vertical-align:top}
        th{background:#fafafa}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.skipped td{color:#888;font-style:italic}
        .drift{color:#c44e52;font-weight:600}figure{margin:1em 0}figcaption{font-size:.85em;color:#555}img{max-width:100%;height:auto}
        .grid{display:flex;flex-wrap:wrap;gap:0 1em}.grid figure{flex:1 1 430px}
        """;

    public static string Write(ReportDigest digest)
    {
        var input = digest.Input;
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        void Line(string html) => s.Append(html).Append('\n');
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

        Line("<!DOCTYPE html>");
        Line("<html lang=\"en\">");
        Line("<head>");
        Line("<meta charset=\"utf-8\">");
        Line($"<title>Monitoring report: {E(input.Model)} v{input.Monitored.Version.ToString(c)}</title>");
        Line($"<style>\n{Style}\n</style>");
        Line("</head>");
        Line("<body>");
        Line("<header>");
        Line($"<h1>Monitoring report: {E(input.Model)}</h1>");
        Line("<dl>");
        Line($"<dt>Monitored version</dt><dd>v{input.Monitored.Version.ToString(c)}, registered {E(ReportDigest.Time(input.Monitored.CreatedAt))} by {E(input.Monitored.CreatedBy)}; features from {E(input.Monitored.FeatureTable)} version {input.Monitored.FeatureTableVersion.ToString(c)}</dd>");
        var period = digest.ReferenceFrom is { } from && digest.ReferenceTo is { } to
            ? $"{ReportDigest.Date(from)} to {ReportDigest.Date(to)}, "
            : "";
        Line($"<dt>Reference</dt><dd>{E(period)}{input.Monitoring.ReferenceRows.ToString("N0", c)} rows, AUROC {E(ReportDigest.Number(input.Monitoring.ReferenceAuroc))}</dd>");
        var windows = digest.Windows;
        var monitored = windows.Count == 0 ? "none yet"
            : string.Create(c, $"{windows.Count} from {digest.Labels[0]} to {digest.Labels[^1]}, {windows.Sum(w => w.Rows):N0} rows");
        Line($"<dt>Windows</dt><dd>{E(monitored)}</dd>");
        Line($"<dt>Generated at</dt><dd>{E(ReportDigest.Time(input.GeneratedAt))}</dd>");
        Line("</dl>");
        Line("</header>");
        Line($"<p class=\"summary\">{E(ReportSummary.Of(digest))}</p>");

        Line("<h2>Alerts</h2>");
        if (input.Alerts.Count == 0)
        {
            Line("<p>No alerts.</p>");
        }
        else
        {
            Line("<table>");
            Line("<thead><tr><th>Window</th><th>Rule</th><th>Reason</th><th>Features</th></tr></thead>");
            Line("<tbody>");
            foreach (var a in input.Alerts)
            {
                Line($"<tr><td>{E(ReportDigest.Date(a.Window))}</td><td>{E(a.Rule)}</td><td>{E(a.Reason)}</td><td>{E(string.Join(", ", a.Features))}</td></tr>");
            }

            Line("</tbody>");
            Line("</table>");
        }

        if (windows.Count == 0)
        {
            Line("<h2>Monitoring</h2>");
            Line("<p>Nothing to monitor yet: no window of scored rows after the reference period. Figures appear once the monitor has a window.</p>");
        }
        else
        {
            Line("<h2>Data drift</h2>");
            Figure(s, ReportFigures.DriftShare(digest));
            if (ReportFigures.FeatureScores(digest) is { } scores)
            {
                Figure(s, scores);
            }
            else
            {
                Line("<p>No feature drifted in any window.</p>");
            }

            var distributions = digest.DriftedFeatures.Take(ReportFigures.MaxDistributions)
                .Select(f => ReportFigures.Distribution(digest, f)).OfType<Figure>().ToList();
            if (distributions.Count > 0)
            {
                Line("<h2>Distributions of the drifted features</h2>");
                Line(string.Create(c, $"<p>The reference against the latest window each feature drifted in ({distributions.Count} of {digest.DriftedFeatures.Count} drifted features, most drifted first).</p>"));
                Line("<div class=\"grid\">");
                foreach (var figure in distributions)
                {
                    Figure(s, figure);
                }

                Line("</div>");
            }

            Line("<h2>Performance</h2>");
            Figure(s, ReportFigures.Performance(digest));
            Line("<h2>Predictions</h2>");
            Figure(s, ReportFigures.MeanScore(digest));
            Windows(s, digest);
        }

        Line("<h2>Decisions</h2>");
        if (input.Decisions.Count == 0)
        {
            Line("<p>No decision recorded.</p>");
        }
        else
        {
            Line("<table>");
            Line("<thead><tr><th>Time</th><th>Version</th><th>Action</th><th>Alias</th><th>Reasons</th><th>Who</th></tr></thead>");
            Line("<tbody>");
            foreach (var d in input.Decisions)
            {
                var reasons = d.Reasons.Count == 0 ? "" : "<ul>" + string.Concat(d.Reasons.Select(r => $"<li>{E(r)}</li>")) + "</ul>";
                var alias = d.Alias is null ? "" : d.Alias + (d.PreviousVersion is { } p ? string.Create(c, $" (was v{p})") : "");
                Line($"<tr><td>{E(ReportDigest.Time(d.Time))}</td><td>v{d.Version.ToString(c)}</td><td>{E(d.Action)}</td><td>{E(alias)}</td><td>{reasons}</td><td>{E(d.DecidedBy)}</td></tr>");
            }

            Line("</tbody>");
            Line("</table>");
        }

        Line("<h2>Versions</h2>");
        Versions(s, input.Versions.Count > 0 ? input.Versions : [input.Monitored], input.Monitored);
        Line("</body>");
        Line("</html>");
        return s.ToString();
    }

    private static void Windows(StringBuilder s, ReportDigest digest)
    {
        var c = CultureInfo.InvariantCulture;
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        s.Append("<h2>Windows</h2>\n<table>\n");
        s.Append("<thead><tr><th>Window</th><th>Rows</th><th>Labelled</th><th>Positive</th><th>Drifted features</th><th>Prediction drift</th><th>Estimated AUROC</th><th>Realised AUROC</th><th>Brier</th><th>Mean score</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < digest.Windows.Count; i++)
        {
            var w = digest.Windows[i];
            var period = $"{E(digest.Labels[i])}<br><small>{E(ReportDigest.Date(w.Start))} to {E(ReportDigest.Date(w.End))}</small>";
            if (w.Skipped is { } skipped)
            {
                s.Append(string.Create(c, $"<tr class=\"skipped\"><td>{period}</td><td class=\"n\">{w.Rows:N0}</td><td class=\"n\">{w.LabelledRows:N0}</td><td class=\"n\">{w.Positives:N0}</td><td colspan=\"6\">skipped: {E(skipped)}</td></tr>\n"));
                continue;
            }

            var drifted = w.Data is { } data
                ? (data.Drifted ? "<span class=\"drift\">" : "<span>") + E(string.Create(c, $"{data.Features.Count(f => f.Drifted)} of {data.Features.Count}")) + "</span>"
                  + (data.Features.Any(f => f.Drifted) ? "<br><small>" + E(string.Join(", ", data.Features.Where(f => f.Drifted).Select(f => f.Feature))) + "</small>" : "")
                : "–";
            var prediction = w.Prediction is { } p ? (p.Drifted ? "<span class=\"drift\">yes</span>" : "no") : "–";
            s.Append(string.Create(c, $"<tr><td>{period}</td><td class=\"n\">{w.Rows:N0}</td><td class=\"n\">{w.LabelledRows:N0}</td><td class=\"n\">{w.Positives:N0}</td><td>{drifted}</td><td>{prediction}</td>"));
            s.Append(string.Create(c, $"<td class=\"n\">{ReportDigest.Number(w.EstimatedAuroc)}</td><td class=\"n\">{ReportDigest.Number(w.RealisedAuroc)}</td><td class=\"n\">{ReportDigest.Number(w.RealisedBrier)}</td><td class=\"n\">{ReportDigest.Number(w.MeanScore)}</td></tr>\n"));
        }

        s.Append("</tbody>\n</table>\n");
    }

    private static void Versions(StringBuilder s, IReadOnlyList<ModelVersion> versions, ModelVersion monitored)
    {
        var c = CultureInfo.InvariantCulture;
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        s.Append("<table>\n<thead><tr><th>Version</th><th>Created</th><th>Features</th><th>Training window</th><th>Holdout AUROC</th><th>AUPRC</th><th>Brier</th><th>Gates</th></tr></thead>\n<tbody>\n");
        foreach (var v in versions)
        {
            var o = v.Holdout.Overall;
            var marker = v.Version == monitored.Version ? " (monitored)" : "";
            s.Append(string.Create(c, $"<tr><td>v{v.Version}{marker}</td><td>{E(ReportDigest.Time(v.CreatedAt))}</td><td>{E(v.FeatureTable)}@{v.FeatureTableVersion}<br><small>spec {E(Short(v.SpecHash))}</small></td>"));
            s.Append(string.Create(c, $"<td>{E(ReportDigest.Date(v.Training.From))} to {E(ReportDigest.Date(v.Training.To))}<br><small>{v.TrainingRows:N0} rows, {v.HoldoutRows:N0} held out</small></td>"));
            s.Append(string.Create(c, $"<td class=\"n\">{ReportDigest.Number(o.Auroc)}</td><td class=\"n\">{ReportDigest.Number(o.AveragePrecision)}</td><td class=\"n\">{ReportDigest.Number(o.Brier)}</td><td>{(v.Gates.Passed ? "passed" : "failed")}</td></tr>\n"));
        }

        s.Append("</tbody>\n</table>\n");
    }

    private static void Figure(StringBuilder s, Figure figure)
    {
        var c = CultureInfo.InvariantCulture;
        s.Append("<figure>\n");
        s.Append(string.Create(c, $"<img width=\"{figure.Width}\" height=\"{figure.Height}\" alt=\"{WebUtility.HtmlEncode(figure.Title)}\" src=\"data:image/png;base64,{Convert.ToBase64String(figure.Png)}\">\n"));
        s.Append($"<figcaption>{WebUtility.HtmlEncode(figure.Caption)}</figcaption>\n");
        s.Append("</figure>\n");
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
