namespace Fhirhouse.Ml.Registry;

/// <summary>
/// A decision about a model version, as recorded in <c>ml.model_decisions</c>: when, what (<see cref="ModelActions"/>),
/// the alias it moved and the version that alias held before, the reasons, and who decided.
/// </summary>
public sealed record ModelDecision(DateTimeOffset Time, string Model, long Version, string Action, string? Alias, long? PreviousVersion, IReadOnlyList<string> Reasons, string DecidedBy);

/// <summary>The actions of <see cref="ModelDecision.Action"/>.</summary>
public static class ModelActions
{
    /// <summary>Registered after passing its gates.</summary>
    public const string Registered = "registered";

    /// <summary>Registered but failed its gates: it can never become champion.</summary>
    public const string Rejected = "rejected";

    /// <summary>An alias now points at it.</summary>
    public const string Promoted = "promoted";

    /// <summary>A challenger kept out: it did not beat the champion on recent data.</summary>
    public const string Declined = "declined";

    /// <summary>The champion alias went back to it.</summary>
    public const string RolledBack = "rolled-back";

    /// <summary>It learned from a patient since erased: retrain without them.</summary>
    public const string ErasureMarked = "erasure-marked";
}
