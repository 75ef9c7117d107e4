using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Fhirhouse.Fhir.Resources;

/// <summary>
/// Whether bytes are UTF-8, as JSON must be: one vectorised pass over valid text, and only for invalid text a second
/// pass that finds where it breaks. No allocation either way.
/// </summary>
internal static class Utf8Validation
{
    /// <summary>The offset of the first byte that does not start a valid UTF-8 sequence, or -1 when all of <paramref name="bytes"/> is valid.</summary>
    public static int IndexOfInvalid(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }
}
