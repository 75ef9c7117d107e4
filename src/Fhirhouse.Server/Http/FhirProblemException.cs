using Fhirhouse.Errors;

namespace Fhirhouse.Server.Http;

/// <summary>A request the server refuses: the HTTP status and the OperationOutcome issue (code and diagnostics) it answers with.</summary>
internal sealed class FhirProblemException(int status, string issueCode, string diagnostics)
    : FhirhouseException(ErrorCodes.RequestRefused, ProblemMapping.KindOf(status), diagnostics)
{
    public int Status { get; } = status;

    /// <summary>The OperationOutcome issue code (<c>invalid</c>, <c>not-found</c>, <c>forbidden</c>...).</summary>
    public string IssueCode { get; } = issueCode;
}
