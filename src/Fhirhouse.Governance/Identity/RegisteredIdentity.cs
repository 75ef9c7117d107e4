namespace Fhirhouse.Governance.Identity;

/// <summary>
/// An identity registered in the lake's identity store: a server client (SMART Backend Services: its public key in
/// PEM, the scopes it may ask for) with the role and purpose it reads as. When and by whom it was added.
/// </summary>
public sealed record RegisteredIdentity(
    string Kind,
    string Name,
    string Role,
    string Purpose,
    IReadOnlyList<string> Scopes,
    string Credential,
    DateTimeOffset AddedAt,
    string AddedBy)
{
    /// <summary>The kind of a Bulk Data server client.</summary>
    public const string Client = "client";
}
