namespace Fhirhouse.Ml.Features;

/// <summary>How a feature reduces a source's rows before the index time (<c>aggregate</c> in the spec).</summary>
public enum FeatureAggregate
{
    /// <summary><c>value</c>: the expression over a static source's one row per patient (may use <c>index_time</c>).</summary>
    Value,

    /// <summary><c>last</c>: the value of the latest row before the index time.</summary>
    Last,

    /// <summary><c>first</c>: the value of the earliest row in the window.</summary>
    First,

    /// <summary><c>min</c>.</summary>
    Min,

    /// <summary><c>max</c>.</summary>
    Max,

    /// <summary><c>mean</c>.</summary>
    Mean,

    /// <summary><c>sum</c>.</summary>
    Sum,

    /// <summary><c>count</c>: rows in the window (0 when none).</summary>
    Count,

    /// <summary><c>exists</c>: 1 when a row is in the window, else 0.</summary>
    Exists,

    /// <summary><c>days_since_last</c>: days from the latest row to the index time (missing when none).</summary>
    DaysSinceLast,
}
