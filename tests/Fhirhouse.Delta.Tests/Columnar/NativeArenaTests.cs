using System.Security.Cryptography;
using Fhirhouse.Delta.Columnar;
using ParquetSharp;

namespace Fhirhouse.Delta.Tests.Columnar;

public sealed class NativeArenaTests
{
    private static byte[] Read(ByteArray value)
    {
        var bytes = new byte[value.Length];
        System.Runtime.InteropServices.Marshal.Copy(value.Pointer, bytes, 0, value.Length);
        return bytes;
    }

    [Fact]
    public void Text_bytes_and_hex_are_copied_as_given()
    {
        using var arena = new NativeArena();
        var digest = SHA256.HashData("payload"u8);

        var text = arena.AddUtf8("Ärzte 🩺");
        var bytes = arena.Add([0, 1, 255]);
        var hex = arena.AddHexLower(digest);
        var empty = arena.AddUtf8("");

        Assert.Equal("Ärzte 🩺"u8.ToArray(), Read(text));
        Assert.Equal([0, 1, 255], Read(bytes));
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest)), Read(hex));
        Assert.Equal(0, empty.Length);
        Assert.True(arena.Reserved >= 4 << 20);
    }

    [Fact]
    public void A_value_larger_than_a_block_gets_a_block_of_its_own_and_the_blocks_are_reused_after_reset()
    {
        using var arena = new NativeArena();
        var large = new byte[(4 << 20) + 17];
        large[^1] = 42;

        Assert.Equal(large, Read(arena.Add(large)));
        var reserved = arena.Reserved;
        arena.Reset();
        Assert.Equal(large, Read(arena.Add(large)));

        Assert.Equal(reserved, arena.Reserved);
    }

    [Fact]
    public void Use_after_dispose_throws_object_disposed_and_a_second_dispose_is_harmless()
    {
        var arena = new NativeArena();
        arena.AddUtf8("Patient/1");

        arena.Dispose();
        arena.Dispose();

        Assert.Equal(0, arena.Reserved);
        Assert.Throws<ObjectDisposedException>(() => arena.AddUtf8("Patient/2"));
        Assert.Throws<ObjectDisposedException>(() => arena.Add("x"u8));
        Assert.Throws<ObjectDisposedException>(() => arena.AddHexLower([1, 2]));
        Assert.Throws<ObjectDisposedException>(arena.Reset);
    }

    [Fact]
    public void The_arena_gives_no_public_raw_pointer()
    {
        var members = typeof(NativeArena).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static);

        Assert.DoesNotContain(members, m => m.ReturnType == typeof(nint) || m.ReturnType.IsPointer || m.Name == "Reserve");
    }
}
