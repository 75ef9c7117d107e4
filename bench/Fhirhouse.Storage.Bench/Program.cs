using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Storage.Plaintext;

// Encrypt/decrypt throughput of the envelope store against a plain file copy and the plain local store, same data, same run.
// Usage: dotnet run -c Release --project bench/Fhirhouse.Storage.Bench -- [megabytes=256] [rounds=3]
var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var root = Path.Combine(Path.GetTempPath(), "fhirhouse-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    var data = RandomNumberGenerator.GetBytes(megabytes * 1024 * 1024);
    var source = Path.Combine(root, "source.bin");
    await File.WriteAllBytesAsync(source, data);
    var plain = new LocalObjectStore(Path.Combine(root, "plain"));
    var keyring = LocalKeyring.Create(Path.Combine(root, "keyring.json"), MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));
    var encrypted = new EncryptedObjectStore(new LocalObjectStore(Path.Combine(root, "encrypted")), keyring);
    await encrypted.PutAsync("warmup", new byte[1]);

    var results = new List<(string Name, double Seconds)>();
    async Task MeasureAsync(string name, Func<int, Task> action)
    {
        var best = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            await action(round);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        results.Add((name, best));
        Console.WriteLine($"{name,-42} {megabytes / best,9:F1} MB/s  (best of {rounds}: {best:F3} s)");
    }

    var sink = new byte[1024 * 1024];
    async Task DrainAsync(Stream stream)
    {
        while (await stream.ReadAsync(sink) > 0)
        {
        }
    }

    Console.WriteLine($"{megabytes} MiB of random bytes, {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
    await MeasureAsync("file copy (File.Copy, fsync)", async round =>
    {
        var target = Path.Combine(root, $"copy-{round}.bin");
        File.Copy(source, target, overwrite: true);
        await using var file = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    });
    await MeasureAsync("plain store put (fsync)", async round =>
    {
        await using var input = File.OpenRead(source);
        await plain.PutAsync($"o-{round}", input);
    });
    await MeasureAsync("encrypted store put (encrypt, fsync)", async round =>
    {
        await using var input = File.OpenRead(source);
        await encrypted.PutAsync($"o-{round}", input);
    });
    await MeasureAsync("plain store read", async round =>
    {
        await using var stream = await plain.OpenReadAsync($"o-{round}");
        await DrainAsync(stream);
    });
    await MeasureAsync("encrypted store read (decrypt, verify)", async round =>
    {
        await using var stream = await encrypted.OpenReadAsync($"o-{round}");
        await DrainAsync(stream);
    });
    await MeasureAsync("encrypted into memfd (decrypting read path)", async round =>
    {
        using var cache = new PlaintextFileCache(encrypted, long.MaxValue);
        using var lease = await cache.OpenAsync($"o-{round}");
    });

    const int footerReads = 2000;
    var footer = new byte[8];
    async Task<double> FooterMicrosecondsAsync(IObjectStore store)
    {
        var length = (await store.GetInfoAsync("o-0"))!.Size;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < footerReads; i++)
        {
            await store.ReadRangeAsync("o-0", length - 8, footer);
        }

        return watch.Elapsed.TotalMicroseconds / footerReads;
    }

    var plainFooter = await FooterMicrosecondsAsync(plain);
    var encryptedFooter = await FooterMicrosecondsAsync(encrypted);
    Console.WriteLine($"{"ranged read of an 8-byte footer, plain",-42} {plainFooter,9:F1} us/read");
    Console.WriteLine($"{"ranged read of an 8-byte footer, encrypted",-42} {encryptedFooter,9:F1} us/read (header + one 64 KiB segment)");

    var copy = results[0].Seconds;
    Console.WriteLine();
    Console.WriteLine($"encrypted put / plain put  : {results[2].Seconds / results[1].Seconds:F2}x the time");
    Console.WriteLine($"encrypted put / file copy  : {results[2].Seconds / copy:F2}x the time");
    Console.WriteLine($"encrypted read / plain read: {results[4].Seconds / results[3].Seconds:F2}x the time");
}
finally
{
    Directory.Delete(root, recursive: true);
}

static string RuntimeInformationText() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, AES-NI {(System.Runtime.Intrinsics.X86.Aes.IsSupported ? "yes" : "no")}";
