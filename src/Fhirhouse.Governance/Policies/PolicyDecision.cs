namespace Fhirhouse.Governance.Policies;

/// <summary>
/// The answer for one table and one identity: the allowing rule (masks and filter), or the reason of the denial
/// naming the denying rule, or the default.
/// </summary>
public sealed record PolicyDecision(bool Allowed, PolicyRule? Rule, string Reason);
