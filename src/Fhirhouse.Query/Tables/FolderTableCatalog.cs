using Fhirhouse.Delta;
using Fhirhouse.Storage;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// The catalog of a store that holds Delta tables in folders, for a host that gives none
/// (<see cref="QueryOptions.TableFolders"/>): <c>FOLDER/NAME</c> is named <c>zone.NAME</c>, the zone being the folder's
/// last segment (<c>tables/views/patient</c> is <c>views.patient</c>).
/// </summary>
internal sealed class FolderTableCatalog(IObjectStore store, IReadOnlyList<string> folders) : ITableCatalog
{
    public async Task<IReadOnlyList<CatalogTable>> FindAsync(string? zone, string name, CancellationToken cancellationToken)
    {
        var found = new List<CatalogTable>();
        foreach (var folder in folders)
        {
            var folderZone = ZoneOf(folder);
            if ((zone is null || AsciiIgnoreCase(zone, folderZone)) && await DeltaTable.ExistsAsync(store, folder + name, cancellationToken).ConfigureAwait(false))
            {
                found.Add(new CatalogTable(folderZone, name, folder + name));
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<CatalogTable>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<CatalogTable>();
        foreach (var folder in folders)
        {
            await foreach (var path in DeltaTable.ListTablesAsync(store, folder, cancellationToken).ConfigureAwait(false))
            {
                found.Add(new CatalogTable(ZoneOf(folder), path[folder.Length..], path));
            }
        }

        return found;
    }

    private static string ZoneOf(string folder)
    {
        var trimmed = folder.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    private static bool AsciiIgnoreCase(string a, string b) => Sql.AsciiIgnoreCase.Comparer.Equals(a, b);
}
