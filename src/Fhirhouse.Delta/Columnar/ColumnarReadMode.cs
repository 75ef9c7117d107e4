namespace Fhirhouse.Delta.Columnar;

/// <summary>How a <see cref="ColumnarFileReader"/> fetches a data file.</summary>
public enum ColumnarReadMode
{
    /// <summary>Only the footer and the column chunks read are fetched (and decrypted): for a few small columns of a large file.</summary>
    Ranged,

    /// <summary>The file is read whole into native memory first: for most of its bytes, without a managed buffer per column chunk.</summary>
    Whole,
}
