namespace Fhirhouse.Delta.Log;

/// <summary>What a file in <c>_delta_log</c> is.</summary>
internal enum LogFileKind
{
    Commit,
    Checkpoint,
    MultiPartCheckpoint,
    V2Checkpoint,
}
