using Fhirhouse.Errors;

namespace Fhirhouse.Delta;

/// <summary>
/// The table needs a reader or writer version or a table feature this library does not implement;
/// <see cref="Feature"/> names it (e.g. "columnMapping", "readerVersion 99").
/// </summary>
public sealed class UnsupportedTableFeatureException : FhirhouseException
{
    public UnsupportedTableFeatureException(string feature, string tablePath)
        : base(ErrorCodes.UnsupportedFeature, ErrorKind.Data, $"Table '{tablePath}' needs the unsupported Delta feature '{feature}'.") => Feature = feature;

    public string Feature { get; }
}
