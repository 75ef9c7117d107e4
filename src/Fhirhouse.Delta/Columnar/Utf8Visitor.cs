namespace Fhirhouse.Delta.Columnar;

/// <summary>Receives a non-null text value of a row group as UTF-8 bytes, valid only during the call, with the row's index in the group.</summary>
public delegate void Utf8Visitor(int row, ReadOnlySpan<byte> value);
