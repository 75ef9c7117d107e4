using System.CommandLine;
using Fhirhouse.Synthetic;

namespace Fhirhouse.Cli.Commands;

/// <summary>The options that describe a synthetic hospital, shared by <c>generate</c> and <c>demo</c>.</summary>
internal sealed class HospitalOptionSet
{
    public HospitalOptionSet(int defaultPatients, int defaultFrom = 2022)
    {
        Patients = new Option<int>("--patients") { Description = "Number of patients.", DefaultValueFactory = _ => defaultPatients };
        Seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same hospital, byte for byte.", DefaultValueFactory = _ => 1 };
        From = new Option<int>("--from") { Description = "First year of care.", DefaultValueFactory = _ => defaultFrom };
        To = new Option<int>("--to") { Description = "Last year of care (inclusive).", DefaultValueFactory = _ => 2025 };
        Drift = new Option<string>("--drift")
        {
            Description = "Drift scenarios from the middle of the span: all, none, or a comma-separated list of " +
                string.Join(", ", DriftScenarios.All.Order().Select(DriftScenarios.NameOf)) + ".",
            DefaultValueFactory = _ => "all",
        };
        FrenchShare = new Option<double>("--french-share") { Description = "Share of French-speaking patients (0 to 1).", DefaultValueFactory = _ => 0.6 };
    }

    public Option<int> Patients { get; }

    public Option<int> Seed { get; }

    public Option<int> From { get; }

    public Option<int> To { get; }

    public Option<string> Drift { get; }

    public Option<double> FrenchShare { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Patients);
        command.Options.Add(Seed);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Drift);
        command.Options.Add(FrenchShare);
    }

    public HospitalOptions Bind(ParseResult parse) => new HospitalOptions
    {
        Patients = parse.GetValue(Patients),
        Seed = parse.GetValue(Seed),
        FromYear = parse.GetValue(From),
        ToYear = parse.GetValue(To),
        Drift = DriftScenarios.Parse(parse.GetValue(Drift) ?? "all"),
        FrenchShare = parse.GetValue(FrenchShare),
    }.Validate();
}
