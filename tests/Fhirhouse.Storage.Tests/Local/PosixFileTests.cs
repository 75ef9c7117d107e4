using System.ComponentModel;
using System.Runtime.InteropServices;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Local;

public sealed class PosixFileTests : IDisposable
{
    private const int ENOTDIR = 20;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(Architecture.X64, 0x10000)]
    [InlineData(Architecture.X86, 0x10000)]
    [InlineData(Architecture.Arm64, 0x4000)]
    [InlineData(Architecture.Arm, 0x4000)]
    [InlineData(Architecture.Ppc64le, 0x4000)]
    [InlineData(Architecture.S390x, 0x10000)]
    [InlineData(Architecture.RiscV64, 0x10000)]
    [InlineData(Architecture.LoongArch64, 0x10000)]
    [InlineData(Architecture.Wasm, 0)]
    public void O_DIRECTORY_is_taken_per_architecture(Architecture architecture, int flag) =>
        Assert.Equal(flag, PosixFile.DirectoryFlag(architecture));

    [Fact]
    public void A_folder_is_fsynced_and_a_file_is_refused_as_not_a_folder_on_this_architecture()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the folder fsync is done on Linux only
        }

        var file = Path.Combine(_folder.Path, "plain.txt");
        File.WriteAllText(file, "x");

        PosixFile.SyncFolder(_folder.Path);

        // Only O_DIRECTORY makes open(2) of a regular file fail with ENOTDIR: a wrong bit (O_DIRECT on ARM is x86's
        // O_DIRECTORY) would open it, or fail otherwise.
        var error = Assert.Throws<IOException>(() => PosixFile.SyncFolder(file));
        Assert.Equal(ENOTDIR, Assert.IsType<Win32Exception>(error.InnerException).NativeErrorCode);
    }
}
