namespace Fhirhouse.Delta.DeletionVectors;

/// <summary>Z85 (ZeroMQ base-85) decoding, as Delta uses for inline deletion vectors and DV file UUIDs.</summary>
internal static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static readonly int[] s_decode = BuildDecode();

    public static byte[] Decode(string text)
    {
        if (text.Length % 5 != 0)
        {
            throw new FormatException($"Z85 text length {text.Length} is not a multiple of 5.");
        }

        var output = new byte[text.Length / 5 * 4];
        for (int i = 0, o = 0; i < text.Length; i += 5, o += 4)
        {
            uint value = 0;
            for (var j = 0; j < 5; j++)
            {
                var c = text[i + j];
                var digit = c < 128 ? s_decode[c] : -1;
                if (digit < 0)
                {
                    throw new FormatException($"'{c}' is not a Z85 character.");
                }

                value = (value * 85) + (uint)digit;
            }

            output[o] = (byte)(value >> 24);
            output[o + 1] = (byte)(value >> 16);
            output[o + 2] = (byte)(value >> 8);
            output[o + 3] = (byte)value;
        }

        return output;
    }

    private static int[] BuildDecode()
    {
        var table = new int[128];
        Array.Fill(table, -1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            table[Alphabet[i]] = i;
        }

        return table;
    }
}
