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

    async Task MeasurePairAsync(string firstName, Func<int, Task> first, string secondName, Func<int, Task> second)
    {
        var best = new[] { double.MaxValue, double.MaxValue };
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            await first(round);
            best[0] = Math.Min(best[0], watch.Elapsed.TotalSeconds);
            watch.Restart();
            await second(round);
            best[1] = Math.Min(best[1], watch.Elapsed.TotalSeconds);
        }

        foreach (var (name, seconds) in new[] { (firstName, best[0]), (secondName, best[1]) })
        {
            results.Add((name, seconds));
            Console.WriteLine($"{name,-42} {megabytes / seconds,9:F1} MB/s  (best of {rounds}: {seconds:F3} s)");
        }
    }

    var sink = new byte[1024 * 1024];
    async Task DrainAsync(Stream stream)
    {
        while (await stream.ReadAsync(sink) > 0)
        {
        }
    }

    Console.WriteLine($"{megabytes} MiB of random bytes, {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
    await MeasureAsync("AES-256-GCM seal, 64 KiB segments (CPU only)", _ =>
    {
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
        var nonce = new byte[12];
        var sealedSegment = new byte[(64 * 1024) + 16];
        for (var at = 0; at < data.Length; at += 64 * 1024)
        {
            var segment = data.AsSpan(at, Math.Min(64 * 1024, data.Length - at));
            nonce[8] = (byte)at;
            aes.Encrypt(nonce, segment, sealedSegment.AsSpan(0, segment.Length), sealedSegment.AsSpan(segment.Length, 16));
        }

        return Task.CompletedTask;
    });
    await MeasureAsync("file copy (File.Copy, fsync)", async round =>
    {
        var target = Path.Combine(root, $"copy-{round}.bin");
        File.Copy(source, target, overwrite: true);
        await using var file = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    });
    // Puts alternate (plain, encrypted, plain, ...) so that both see the same disk writeback state.
    await MeasurePairAsync(
        "plain store put (fsync)", async round =>
        {
            await using var input = File.OpenRead(source);
            await plain.PutAsync($"o-{round}", input);
        },
        "encrypted store put (encrypt, fsync)", async round =>
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

    var copy = results[1].Seconds;
    Console.WriteLine();
    Console.WriteLine($"encrypted put / plain put  : {results[3].Seconds / results[2].Seconds:F2}x the time");
    Console.WriteLine($"encrypted put / file copy  : {results[3].Seconds / copy:F2}x the time");
    Console.WriteLine($"encrypted read / plain read: {results[5].Seconds / results[4].Seconds:F2}x the time");
}
finally
{
    Directory.Delete(root, recursive: true);
}

static string RuntimeInformationText() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, AES-NI {(System.Runtime.Intrinsics.X86.Aes.IsSupported ? "yes" : "no")}";
