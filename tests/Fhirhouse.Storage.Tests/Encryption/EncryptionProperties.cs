using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class EncryptionProperties : IDisposable
{
    private readonly KeyringFixture _lake = new();
    private int _counter;

    public void Dispose() => _lake.Dispose();

    private static Arbitrary<(int Length, int Seed, int Offset, int Count)> Cases() =>
        (from length in Gen.OneOf(Gen.Choose(0, 300), Gen.Choose(0, (3 * 65536) + 100), Gen.Elements(65535, 65536, 65537, 131072))
         from seed in Gen.Choose(0, int.MaxValue)
         from offset in Gen.Choose(0, length + 10)
         from count in Gen.Choose(0, 70000)
         select (length, seed, offset, count)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property Encrypt_then_decrypt_is_identity_for_any_length_and_any_range() =>
        Prop.ForAll(Cases(), c =>
        {
            var data = new byte[c.Length];
            new Random(c.Seed).NextBytes(data);
            var key = $"p/{Interlocked.Increment(ref _counter)}";
            _lake.Store.PutAsync(key, data).GetAwaiter().GetResult();

            var whole = _lake.Store.ReadAllBytesAsync(key).GetAwaiter().GetResult();
            var range = new byte[c.Count];
            var n = _lake.Store.ReadRangeAsync(key, c.Offset, range).GetAwaiter().GetResult();
            var expected = data.AsSpan(Math.Min(c.Offset, data.Length), Math.Max(0, Math.Min(c.Count, data.Length - c.Offset))).ToArray();
            return whole.AsSpan().SequenceEqual(data) && n == expected.Length && range.AsSpan(0, n).SequenceEqual(expected);
        });
}
