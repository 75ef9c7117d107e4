namespace Fhirhouse.Governance.Identity;

/// <summary>Who reads, in which role, for which purpose of use: what a policy decides on and what the audit records.</summary>
public sealed record AccessIdentity(string User, string Role, string Purpose)
{
    public override string ToString() => $"{User} ({Role}/{Purpose})";
}
