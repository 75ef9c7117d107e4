using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Parquet.Writing;

/// <summary>
/// One node of the Parquet schema written for a Delta type, with its definition level (when present) and, for
/// leaves, the levels and values being collected.
/// </summary>
internal sealed class ShredNode
{
    public required string Name { get; init; }

    public required DeltaType Type { get; init; }

    public required bool Optional { get; init; }

    public required int Def { get; init; }

    public int RepeatedRep { get; init; }

    /// <summary>True for the repeated group of a list ("list") or map ("key_value").</summary>
    public bool Repeated { get; init; }

    public IReadOnlyList<ShredNode> Children { get; init; } = [];

    public List<short> DefLevels { get; } = [];

    public List<short> RepLevels { get; } = [];

    public List<object> Values { get; } = [];

    public bool IsLeaf => Children.Count == 0;

    public IEnumerable<ShredNode> Leaves() => IsLeaf ? [this] : Children.SelectMany(c => c.Leaves());
}
