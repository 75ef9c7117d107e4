using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Fhirhouse.Storage.Plaintext;

/// <summary>
/// An anonymous in-memory file (Linux memfd_create): it has no name on any file system, lives in RAM (or swap), and is
/// reachable by path only from this process, as /proc/self/fd/N. Sealed read-only once written.
/// </summary>
internal sealed partial class MemoryFile : IDisposable
{
    private const uint MfdCloexec = 0x1;
    private const uint MfdAllowSealing = 0x2;
    private const int FAddSeals = 1033;
    private const int SealAll = 0x1 | 0x2 | 0x4 | 0x8;
    private readonly SafeFileHandle _handle;

    private MemoryFile(SafeFileHandle handle, long length)
    {
        _handle = handle;
        Length = length;
        Path = $"/proc/self/fd/{handle.DangerousGetHandle()}";
    }

    /// <summary>The path this process opens the file by.</summary>
    public string Path { get; }

    public long Length { get; }

    /// <summary>Copies <paramref name="content"/> into a new memory file and seals it against any change.</summary>
    public static async Task<MemoryFile> CreateAsync(Stream content, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The decrypting read path keeps plaintext in memfd files, which only Linux has.");
        }

        var fd = MemfdCreate("fhirhouse-plaintext", MfdCloexec | MfdAllowSealing);
        if (fd < 0)
        {
            throw new IOException("memfd_create failed", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            long length;
            await using (var writer = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, 0))
            {
                await content.CopyToAsync(writer, 256 * 1024, cancellationToken).ConfigureAwait(false);
                length = writer.Length;
            }

            if (Fcntl(fd, FAddSeals, SealAll) != 0)
            {
                throw new IOException("fcntl(F_ADD_SEALS) on a memfd failed", new Win32Exception(Marshal.GetLastPInvokeError()));
            }

            return new MemoryFile(handle, length);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}
