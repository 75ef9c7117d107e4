using System.Text.Json.Serialization;

namespace Fhirhouse.Ml.Pipelines;

/// <summary>A decision and why: the checks that failed and those that passed, one line each.</summary>
public sealed record GateResult(IReadOnlyList<string> Failures, IReadOnlyList<string> Passes)
{
    /// <summary>True when no check failed.</summary>
    [JsonIgnore]
    public bool Passed => Failures.Count == 0;

    /// <summary>Every check, failures first.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Reasons => [.. Failures, .. Passes];
}
