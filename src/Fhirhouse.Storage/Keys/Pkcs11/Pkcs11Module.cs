using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Fhirhouse.Storage.Keys.Pkcs11;

/// <summary>
/// A PKCS#11 module loaded once per process and path: C_Initialize and C_Finalize are process-wide, so providers share
/// the loaded module and the last one released finalizes it.
/// </summary>
internal static class Pkcs11Module
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<string, (IPkcs11Library Library, int Users)> s_loaded = new(StringComparer.Ordinal);

    public static IPkcs11Library Acquire(Pkcs11InteropFactories factories, string path)
    {
        lock (s_gate)
        {
            if (!s_loaded.TryGetValue(path, out var entry))
            {
                entry = (factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded), 0);
            }

            s_loaded[path] = (entry.Library, entry.Users + 1);
            return entry.Library;
        }
    }

    public static void Release(string path)
    {
        lock (s_gate)
        {
            var (library, users) = s_loaded[path];
            if (users > 1)
            {
                s_loaded[path] = (library, users - 1);
                return;
            }

            s_loaded.Remove(path);
            library.Dispose();
        }
    }
}
