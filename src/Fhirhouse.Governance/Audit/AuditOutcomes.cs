namespace Fhirhouse.Governance.Audit;

/// <summary>The outcomes an audit row holds.</summary>
public static class AuditOutcomes
{
    public const string Ok = "ok";

    public const string Denied = "denied";

    public const string Error = "error";
}
