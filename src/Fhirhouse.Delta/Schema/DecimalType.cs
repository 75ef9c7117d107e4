namespace Fhirhouse.Delta.Schema;

/// <summary>
/// decimal(precision, scale). Row values are <see cref="decimal"/> when precision is at most 28, otherwise
/// <see cref="System.Data.SqlTypes.SqlDecimal"/>.
/// </summary>
public sealed record DecimalType(int Precision, int Scale) : DeltaType
{
    /// <summary>The largest precision a .NET <see cref="decimal"/> always holds.</summary>
    public const int MaxClrPrecision = 28;

    public override string ToString() => $"decimal({Precision},{Scale})";
}
