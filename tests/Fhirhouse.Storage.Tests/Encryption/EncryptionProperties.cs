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

    private static Arbitrary<(int Length, int Seed, double Position, int Bit)> Flips() =>
        (from length in Gen.OneOf(Gen.Choose(0, 300), Gen.Choose(0, (2 * 65536) + 100))
         from seed in Gen.Choose(0, int.MaxValue)
         from position in Gen.Choose(0, 1_000_000).Select(i => i / 1_000_001.0)
         from bit in Gen.Choose(0, 7)
         select (length, seed, position, bit)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Any_single_bit_flip_is_never_returned_as_data() =>
        Prop.ForAll(Flips(), c =>
        {
            var data = new byte[c.Length];
            new Random(c.Seed).NextBytes(data);
            var key = $"f/{Interlocked.Increment(ref _counter)}";
            _lake.Store.PutAsync(key, data).GetAwaiter().GetResult();
            var path = _lake.FileOf(key);
            var stored = File.ReadAllBytes(path);
            var at = (int)(c.Position * stored.Length);
            stored[at] ^= (byte)(1 << c.Bit);
            File.WriteAllBytes(path, stored);

            try
            {
                _lake.Store.ReadAllBytesAsync(key).GetAwaiter().GetResult();
                return false;
            }
            catch (Fhirhouse.Storage.Encryption.TamperedObjectException e)
            {
                return e.Key == key;
            }
            catch (Fhirhouse.Storage.Keys.KeyUnavailableException e)
            {
                // Only the key id (bytes 14..17 for "lake") and KEK version (18..21) name another key.
                return e.ObjectKey == key && at is >= 14 and <= 21;
            }
        });
}
