using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Medications;

/// <summary>The dosage terms (dosage-terms.tsv, both languages): phrases after a drug's name and what each says.</summary>
internal sealed class DosageTerms
{
    private static readonly HashSet<string> s_periodUnits = new(StringComparer.Ordinal) { "s", "min", "h", "d", "wk", "mo", "a" };
    private static readonly HashSet<string> s_when = new(StringComparer.Ordinal) { "MORN", "NOON", "EVE", "NIGHT", "HS" };

    public string Version { get; }

    public PhraseTrie<DosageCue> Cues { get; } = new();

    private DosageTerms(string version) => Version = version;

    public static DosageTerms Shipped()
    {
        const string name = "dosage-terms.tsv";
        using var stream = typeof(DosageTerms).Assembly.GetManifestResourceStream("Fhirhouse.Nlp.Medications." + name)
            ?? throw new InvalidOperationException($"The dosage terms {name} are not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(name, reader.ReadToEnd());
    }

    /// <summary>Parses dosage terms (the format is described at the top of dosage-terms.tsv); a bad line is an error naming the file and line.</summary>
    public static DosageTerms Parse(string name, string text)
    {
        var version = name;
        var rows = new List<(string[] Fields, int Line)>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (line.StartsWith("# version ", StringComparison.Ordinal))
            {
                version = $"{name} {line["# version ".Length..].Trim()}";
            }
            else if (line.Trim().Length > 0 && !line.StartsWith('#'))
            {
                rows.Add((line.Split('\t'), n));
            }
        }

        var terms = new DosageTerms(version);
        var perDay = rows.Where(r => r.Fields[0] == "perday").Select(r => r.Fields.Length == 2 ? r.Fields[1] : throw Bad(name, r.Line, "expected perday<TAB>phrase")).ToList();
        foreach (var (f, n) in rows)
        {
            switch (f[0])
            {
                case "dose" when f.Length == 3:
                    terms.Cues.Add("# " + f[1], new DosageCue(DosageCueKind.Dose, f[2]));
                    foreach (var suffix in perDay)
                    {
                        terms.Cues.Add($"# {f[1]} {suffix}", new DosageCue(DosageCueKind.DailyDose, f[2] + "/d"));
                    }

                    break;
                case "perday":
                    break;
                case "form" when f.Length == 4:
                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.Form, f[2], f[3]));
                    terms.Cues.Add("# " + f[1], new DosageCue(DosageCueKind.Count, f[2], f[3]));
                    terms.Cues.Add("# / # " + f[1], new DosageCue(DosageCueKind.Count, f[2], f[3]));
                    break;
                case "route" when f.Length == 4:
                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.Route, f[2], f[3]));
                    break;
                case "freq" when f.Length == 6:
                    if (!s_periodUnits.Contains(f[4]))
                    {
                        throw Bad(name, n, $"period unit '{f[4]}' is not one of {string.Join(", ", s_periodUnits)}");
                    }

                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.Frequency, f[4], Frequency: f[2], Period: f[3], When: When(f[5] == "-" ? [] : f[5].Split(' '), name, n)));
                    break;
                case "slots" when f.Length >= 4:
                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.Slots, "d", When: When(f[2..], name, n)));
                    break;
                case "duration" when f.Length == 4:
                    if (!s_periodUnits.Contains(f[3]))
                    {
                        throw Bad(name, n, $"duration unit '{f[3]}' is not one of {string.Join(", ", s_periodUnits)}");
                    }

                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.Duration, f[3], Amount: f[2]));
                    break;
                case "prn" when f.Length == 3:
                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.AsNeeded, Detail: f[2]));
                    break;
                case "stopped" when f.Length == 2:
                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.Stopped));
                    break;
                case "end" when f.Length == 2:
                    terms.Cues.Add(f[1], new DosageCue(DosageCueKind.End));
                    break;
                default:
                    throw Bad(name, n, $"'{f[0]}' with {f.Length - 1} fields is not a row of dose, perday, form, route, freq, slots, duration, prn, stopped, end (see the file's header)");
            }
        }

        return terms;
    }

    private static string[] When(string[] codes, string name, int line)
    {
        foreach (var code in codes)
        {
            if (!s_when.Contains(code))
            {
                throw Bad(name, line, $"time of day '{code}' is not one of {string.Join(", ", s_when)}");
            }
        }

        return codes;
    }

    private static FormatException Bad(string name, int line, string reason) => new($"Dosage terms {name}, line {line + 1}: {reason}.");
}
