using Fhirhouse.Errors;
using Fhirhouse.Server.Http;

namespace Fhirhouse.Server.Auth;

/// <summary>A refused token request: the OAuth 2.0 error code (RFC 6749 §5.2), the HTTP status and why.</summary>
internal sealed class TokenProblemException(int status, string error, string description)
    : FhirhouseException(ErrorCodes.TokenRefused, ProblemMapping.KindOf(status), description)
{
    public int Status { get; } = status;

    public string Error { get; } = error;
}
