namespace Fhirhouse.Query.Pruning;

/// <summary>The comparisons a predicate may prune files with (all reject NULL, so pruning is safe under any join).</summary>
internal enum ComparisonOperator
{
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
}
