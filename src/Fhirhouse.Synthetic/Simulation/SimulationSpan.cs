namespace Fhirhouse.Synthetic.Simulation;

/// <summary>The span of care as wall times (first day 00:00 to last day 23:59) and the drift scenarios in force from the drift start.</summary>
internal sealed class SimulationSpan(HospitalOptions options)
{
    public DateTime Start { get; } = options.Start.ToDateTime(TimeOnly.MinValue);

    public DateTime End { get; } = options.End.ToDateTime(new TimeOnly(23, 59));

    public DateTime DriftStart { get; } = options.DriftStart.ToDateTime(TimeOnly.MinValue);

    /// <summary>Whether the run simulates <paramref name="scenario"/> at all.</summary>
    public bool Includes(DriftScenario scenario) => options.Drift.Contains(scenario);

    /// <summary>Whether <paramref name="scenario"/> has switched on by <paramref name="at"/>.</summary>
    public bool InEffect(DriftScenario scenario, DateTime at) => at >= DriftStart && options.Drift.Contains(scenario);
}
