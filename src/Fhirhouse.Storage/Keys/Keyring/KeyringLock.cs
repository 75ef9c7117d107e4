using Fhirhouse.Errors;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>An exclusive lock on a keyring across processes: a lock file opened without sharing.</summary>
internal sealed class KeyringLock : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly FileStream _file;

    private KeyringLock(FileStream file) => _file = file;

    public static async Task<KeyringLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                return new KeyringLock(new FileStream(path, options));
            }
            catch (IOException e)
            {
                if (waited >= s_timeout)
                {
                    throw new KeyringAccessException(path, $"another process has held the keyring lock for {s_timeout.TotalSeconds:F0} s", e, ErrorKind.IO, isTransient: true);
                }

                await Task.Delay(step, cancellationToken).ConfigureAwait(false);
                waited += step;
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
