namespace Fhirhouse.Delta.Actions;

/// <summary>The protocol action: reader and writer versions, and the table features when versions are 3 / 7.</summary>
public sealed record Protocol(
    int MinReaderVersion,
    int MinWriterVersion,
    IReadOnlyList<string>? ReaderFeatures = null,
    IReadOnlyList<string>? WriterFeatures = null) : DeltaAction
{
    /// <summary>True when the feature is listed among the reader or writer features.</summary>
    public bool HasFeature(string feature) =>
        (ReaderFeatures?.Contains(feature, StringComparer.Ordinal) ?? false) ||
        (WriterFeatures?.Contains(feature, StringComparer.Ordinal) ?? false);
}
