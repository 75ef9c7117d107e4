namespace Fhirhouse.Server.Http;

/// <summary>A request the server refuses: the HTTP status and the OperationOutcome issue (code and diagnostics) it answers with.</summary>
internal sealed class FhirProblemException(int status, string code, string diagnostics) : Exception(diagnostics)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
