namespace Fhirhouse.Lake.Erasure;

/// <summary>
/// A room that keeps patient data in the lake in a format of its own (an export server's job files, a client's resume
/// state, later NLP, imaging and MLOps outputs), registered by the host with the erasure. The erasure leaves the
/// objects under <see cref="Prefixes"/> to it and records what it returns; it never reads those objects itself. The
/// lake's own zones (the raw zone and every Delta table) are erased by the erasure directly.
/// </summary>
public interface IErasureParticipant
{
    /// <summary>What it keeps, in a few words (shown in the erasure's notes).</summary>
    string Name { get; }

    /// <summary>The lake prefixes (under <see cref="LakeLayout.Jobs"/>) whose objects it owns.</summary>
    IReadOnlyList<string> Prefixes { get; }

    /// <summary>
    /// Removes <paramref name="patient"/> from what it owns (with <paramref name="dryRun"/>, only says what it would
    /// change) and returns every object it rewrote or deleted. Must be idempotent: an erasure interrupted after it ran
    /// runs it again. State a run needs to resume (positions, high-water marks) is kept unless it names the patient.
    /// </summary>
    Task<IReadOnlyList<JobFileErasure>> EraseAsync(PatientMatcher patient, bool dryRun, CancellationToken cancellationToken);
}
