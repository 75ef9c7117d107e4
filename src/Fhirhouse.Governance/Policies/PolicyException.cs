using Fhirhouse.Errors;

namespace Fhirhouse.Governance.Policies;

/// <summary>
/// A policy file that cannot be used: bad JSON, an unknown role, purpose or mask; names the file and the rule. A usage
/// error: the configuration is wrong and nothing was read.
/// </summary>
public sealed class PolicyException : FhirhouseException
{
    public PolicyException(string file, string? rule, string problem, Exception? innerException = null)
        : base(ErrorCodes.InvalidPolicy, ErrorKind.Usage, rule is null ? $"Policy file {file}: {problem}" : $"Policy file {file}, rule '{rule}': {problem}", innerException)
    {
        File = file;
        Rule = rule;
    }

    public string File { get; }

    public string? Rule { get; }
}
