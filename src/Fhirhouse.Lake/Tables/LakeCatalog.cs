using Fhirhouse.Delta;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Quarantine;
using Fhirhouse.Lake.Raw;
using Fhirhouse.Query.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Tables;

/// <summary>
/// The lake's tables by their one qualified name, for SQL, the <c>table</c> commands and the policies: the tables
/// declared by definition (<c>bronze.fhir_resources</c>, <c>bronze.quarantine</c>, <c>bronze.raw_manifest</c>, and those the
/// host adds, such as the audit log, <c>silver.fhir_current</c> or a gold table such as <c>gold.nlp_annotations</c>, which
/// lives in <c>tables/gold/NAME</c>), every view (<c>views.NAME</c> in
/// <c>tables/views/</c>), every gold table (<c>gold.NAME</c> in <c>tables/gold/</c>), every machine-learning table (<c>ml.NAME</c> in <c>tables/ml/</c>), and any other table directly
/// under <c>tables/</c> as <c>lake.NAME</c>. A folder has exactly one name.
/// </summary>
public sealed class LakeCatalog : ITableCatalog
{
    /// <summary>The zone of undeclared tables directly under <see cref="LakeLayout.Tables"/>.</summary>
    public const string UndeclaredZone = "lake";

    /// <summary>The zones whose tables are found by folder (declared or not): views, gold and ml; views are never declared.</summary>
    private static readonly (string Folder, string Zone)[] s_folderZones = [(LakeLayout.Views, "views"), (LakeLayout.Gold, "gold"), (LakeLayout.Ml, "ml")];

    private readonly IObjectStore _store;
    private readonly List<LakeTableDefinition> _declared;

    /// <summary>A catalog of the lake in <paramref name="store"/> with the lake's own tables and the host's <paramref name="declared"/> ones.</summary>
    /// <exception cref="ArgumentException">Two definitions share a name or a folder, or one uses a zone SQL cannot have.</exception>
    public LakeCatalog(IObjectStore store, IEnumerable<LakeTableDefinition>? declared = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _declared = [BronzeTable.Definition, QuarantineTable.Definition, RawManifestTable.Definition, .. declared ?? []];
        foreach (var definition in _declared)
        {
            if (CatalogTable.IsReservedZone(definition.Zone) || definition.Zone is "views" or UndeclaredZone)
            {
                throw new ArgumentException($"Table '{definition.Name}': the zone '{definition.Zone}' is not one a declared table may have (it is DuckDB's or the lake's own).", nameof(declared));
            }

            if (s_folderZones.FirstOrDefault(z => z.Zone == definition.Zone) is { Folder: not null } zone && !string.Equals(definition.Path, zone.Folder + definition.ShortName, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Table '{definition.Name}': a {zone.Zone} table lives in '{zone.Folder}{definition.ShortName}' (declared in '{definition.Path}').", nameof(declared));
            }
        }

        Refuse(_declared.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase), "name");
        Refuse(_declared.GroupBy(d => d.Path, StringComparer.Ordinal), "folder");
    }

    public async Task<IReadOnlyList<CatalogTable>> FindAsync(string? zone, string name, CancellationToken cancellationToken)
    {
        var candidates = new List<CatalogTable>();
        foreach (var definition in _declared.Where(d => string.Equals(d.ShortName, name, StringComparison.OrdinalIgnoreCase)))
        {
            candidates.Add(new CatalogTable(definition.Zone, definition.ShortName, definition.Path));
        }

        candidates.Add(new CatalogTable("views", name, LakeLayout.Views + name));
        foreach (var (folder, folderZone) in s_folderZones.Skip(1))
        {
            if (!candidates.Any(c => string.Equals(c.Path, folder + name, StringComparison.Ordinal)))
            {
                candidates.Add(new CatalogTable(folderZone, name, folder + name));
            }
        }
        if (!_declared.Any(d => string.Equals(d.Path, LakeLayout.Tables + name, StringComparison.Ordinal)))
        {
            candidates.Add(new CatalogTable(UndeclaredZone, name, LakeLayout.Tables + name));
        }

        var found = new List<CatalogTable>();
        foreach (var candidate in candidates.Where(c => zone is null || string.Equals(c.Zone, zone, StringComparison.OrdinalIgnoreCase)))
        {
            if (await DeltaTable.ExistsAsync(_store, candidate.Path, cancellationToken).ConfigureAwait(false))
            {
                found.Add(candidate);
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<CatalogTable>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<CatalogTable>();
        await foreach (var path in DeltaTable.ListTablesAsync(_store, LakeLayout.Tables, cancellationToken).ConfigureAwait(false))
        {
            var name = path[LakeLayout.Tables.Length..];
            found.Add(_declared.Find(d => string.Equals(d.Path, path, StringComparison.Ordinal)) is { } declared
                ? new CatalogTable(declared.Zone, declared.ShortName, path)
                : new CatalogTable(UndeclaredZone, name, path));
        }

        foreach (var (folder, zone) in s_folderZones)
        {
            await foreach (var path in DeltaTable.ListTablesAsync(_store, folder, cancellationToken).ConfigureAwait(false))
            {
                found.Add(new CatalogTable(zone, path[folder.Length..], path));
            }
        }

        return [.. found.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    private static void Refuse(IEnumerable<IGrouping<string, LakeTableDefinition>> groups, string what)
    {
        if (groups.FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two tables are declared with the {what} '{twice.Key}' ({string.Join(", ", twice.Select(d => d.Name))}): each table has one name and one folder.");
        }
    }
}
