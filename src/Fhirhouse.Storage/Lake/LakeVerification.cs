namespace Fhirhouse.Storage.Lake;

/// <summary>The result of <see cref="LakeVerifier.VerifyAsync"/>: how many objects were read end to end and which failed.</summary>
public sealed record LakeVerification(long ObjectsChecked, long BytesChecked, IReadOnlyList<ObjectProblem> Problems)
{
    /// <summary>True when every object read back whole and authentic.</summary>
    public bool IsClean => Problems.Count == 0;
}
