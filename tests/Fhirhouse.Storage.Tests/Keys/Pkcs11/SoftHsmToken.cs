using System.Diagnostics;
using System.Runtime.InteropServices;
using Fhirhouse.Storage.Keys.Pkcs11;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Keys.Pkcs11;

/// <summary>A fresh SoftHSM2 token in a temp folder (its own softhsm2.conf via SOFTHSM2_CONF), removed on dispose.</summary>
public sealed partial class SoftHsmToken : IDisposable
{
    public const string Label = "fhirhouse-test";
    public const string UserPin = "4321";
    private static readonly string[] s_libraries = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"];
    private readonly TempFolder _folder = new();

    public SoftHsmToken()
    {
        LibraryPath = s_libraries.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("SoftHSM2 is not installed: apt-get install -y softhsm2 (test.sh installs it).");
        var tokens = Path.Combine(_folder.Path, "tokens");
        Directory.CreateDirectory(tokens);
        var conf = Path.Combine(_folder.Path, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        // The module reads SOFTHSM2_CONF with getenv(3): .NET's Environment does not reach the native environment.
        if (SetEnv("SOFTHSM2_CONF", conf, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed.");
        }

        var init = new ProcessStartInfo("softhsm2-util", ["--init-token", "--free", "--label", Label, "--pin", UserPin, "--so-pin", "8765"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        init.Environment["SOFTHSM2_CONF"] = conf;
        using var process = Process.Start(init)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util --init-token failed ({process.ExitCode}): {output}");
        }

        TokenFolder = tokens;
    }

    public string LibraryPath { get; }

    public string TokenFolder { get; }

    public Pkcs11Options Options => new(LibraryPath, Label, UserPin);

    public void Dispose() => _folder.Dispose();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
