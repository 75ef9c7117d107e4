namespace Fhirhouse.Governance.Audit;

/// <summary>The entry points an audit row names.</summary>
public static class EntryPoints
{
    public const string CliSql = "cli-sql";

    public const string Shell = "shell";

    public const string Demo = "demo";

    public const string CliAudit = "cli-audit";

    public const string ServerExport = "server-export";

    public const string ResearchExport = "research-export";

    public const string Forget = "forget";
}
