using Fhirhouse.Errors;

namespace Fhirhouse.Storage.Lake;

/// <summary>
/// The lake predates lake ids and table head records (or its upgrade was interrupted): it is not opened until
/// <c>fhirhouse lake upgrade</c> has run, since its objects could not be told from objects copied in from another lake.
/// </summary>
public sealed class LakeUpgradeRequiredException(LakeLocation location, bool interrupted)
    : FhirhouseException(ErrorCodes.LakeUpgradeRequired, ErrorKind.Usage, interrupted
        ? $"Lake {location}: its upgrade was interrupted; run 'fhirhouse lake upgrade --lake {location}' again to finish it (it is safe to repeat)."
        : $"Lake {location} was created before lakes had ids and tamper-evident table heads; run 'fhirhouse lake upgrade --lake {location}' once (it rewrites object headers only, not their data) before using it.")
{
    public LakeLocation Location { get; } = location;
}
