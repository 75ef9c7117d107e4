using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Fhirhouse.Storage.Local;

/// <summary>The few POSIX calls .NET does not expose: link(2) for atomic no-replace, fsync(2) of a folder.</summary>
internal static partial class PosixFile
{
    private const int EEXIST = 17;
    private const int ORdonly = 0;

    /// <summary>Creates <paramref name="target"/> as a hard link to <paramref name="source"/>; false when the target exists.</summary>
    public static bool TryLink(string source, string target)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            try
            {
                File.Copy(source, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        if (Link(source, target) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST)
        {
            return false;
        }

        throw new IOException($"link('{Path.GetFileName(source)}', '{target}') failed", new Win32Exception(errno));
    }

    /// <summary>fsyncs a folder so that a rename or link in it survives a crash.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(folder, ORdonly | DirectoryFlag(RuntimeInformation.ProcessArchitecture));
        if (fd < 0)
        {
            throw new IOException($"open('{folder}') for fsync failed", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync('{folder}') failed", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Linux's O_DIRECTORY, which differs between architectures: 0o40000 on ARM and PowerPC, 0o200000 (asm-generic) on
    /// x86, x86-64, s390x, RISC-V and LoongArch. Unknown architectures get 0: opening a folder read-only is valid
    /// without it, and the caller only ever passes a folder.
    /// </summary>
    internal static int DirectoryFlag(Architecture architecture) => architecture switch
    {
        Architecture.Arm or Architecture.Armv6 or Architecture.Arm64 or Architecture.Ppc64le => 0x4000,
        Architecture.X86 or Architecture.X64 or Architecture.S390x or Architecture.RiscV64 or Architecture.LoongArch64 => 0x10000,
        _ => 0,
    };

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
