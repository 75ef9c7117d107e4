namespace Fhirhouse.Governance.Policies;

/// <summary>
/// One revision of the policies stored in the lake: who set it (user, role, purpose), when, the SHA-256 of its files
/// and the files themselves (name and JSON text, in name order).
/// </summary>
public sealed record StoredPolicies(
    long Revision,
    DateTimeOffset SetAt,
    string SetBy,
    string Role,
    string Purpose,
    string Sha256,
    IReadOnlyList<(string File, string Json)> Files)
{
    /// <summary>Where decisions say these policies come from.</summary>
    public string Source => $"the lake's policies (revision {Revision})";

    /// <summary>The policies of this revision, parsed.</summary>
    public PolicySet Parse() => PolicySet.Parse(Source, Files);
}
