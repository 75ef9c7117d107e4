namespace Fhirhouse.Delta.Actions;

/// <summary>
/// Where a deletion vector lives: inline ('i', Z85 data), beside the table by UUID ('u') or at a path ('p').
/// </summary>
public sealed record DeletionVectorDescriptor(string StorageType, string PathOrInlineDv, int? Offset, int SizeInBytes, long Cardinality)
{
    /// <summary>The id that, with the file path, keys a file in log replay.</summary>
    public string UniqueId => Offset is { } offset ? $"{StorageType}{PathOrInlineDv}@{offset}" : StorageType + PathOrInlineDv;
}
