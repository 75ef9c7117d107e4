using System.Text;
using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta;

/// <summary>The text that identifies a row by its key columns (for MERGE), equal for equal values of any numeric width.</summary>
internal static class RowKey
{
    public static string Of(object?[] row, int[] keyIndexes)
    {
        var builder = new StringBuilder();
        foreach (var index in keyIndexes)
        {
            var value = row[index];
            builder.Append(value is null ? "\u0000" : PartitionValueParser.Format(value)).Append('\u0001');
        }

        return builder.ToString();
    }
}
