namespace Fhirhouse.Governance.Audit;

/// <summary>The entry points an audit row names.</summary>
public static class EntryPoints
{
    public const string CliSql = "cli-sql";

    public const string Shell = "shell";

    public const string Demo = "demo";

    public const string CliAudit = "cli-audit";

    public const string ServerExport = "server-export";

    /// <summary>A Bulk Data status poll (the manifest when the export is complete).</summary>
    public const string ServerStatus = "server-status";

    /// <summary>A Bulk Data file download.</summary>
    public const string ServerDownload = "server-download";

    public const string ResearchExport = "research-export";

    public const string Forget = "forget";

    /// <summary>Reading a resource's text and its annotations from the lake (<c>nlp show</c>, <c>nlp text --resource</c>).</summary>
    public const string CliNlp = "cli-nlp";

    /// <summary>The model lifecycle (<c>ml run</c>, <c>train</c>, <c>evaluate</c>, <c>promote</c>, <c>rollback</c>, <c>score</c>, <c>monitor</c>, <c>report</c>).</summary>
    public const string CliMl = "cli-ml";

    /// <summary>Setting the lake's policies, or running with policies from a folder (<c>--policies</c>).</summary>
    public const string Policies = "policies";

    /// <summary>Adding, removing or listing the lake's registered identities (server clients).</summary>
    public const string Identities = "identities";
}
