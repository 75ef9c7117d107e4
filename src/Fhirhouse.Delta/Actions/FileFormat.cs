namespace Fhirhouse.Delta.Actions;

/// <summary>The data file format of a table (always "parquet" in practice).</summary>
public sealed record FileFormat(string Provider, IReadOnlyDictionary<string, string> Options)
{
    public static FileFormat Parquet { get; } = new("parquet", new Dictionary<string, string>());
}
