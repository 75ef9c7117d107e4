using Fhirhouse.Delta;
using Fhirhouse.Storage.Lake;

namespace Fhirhouse.Lake.Integrity;

/// <summary>What <see cref="LakeUpgrade.RunAsync"/> did: objects given the lake id, tables given a head record.</summary>
public sealed record LakeUpgradeResult(int ObjectsRewritten, int TablesSealed, bool AlreadyCurrent);

/// <summary>
/// <c>fhirhouse lake upgrade</c>: brings a lake written before lake ids and table heads to the current format. Every
/// object's header is given the lake id (its data is not re-encrypted), every table gets a head record for its latest
/// version, and only then is the lake marked upgraded. Interrupted, it is run again and finishes the rest.
/// </summary>
public static class LakeUpgrade
{
    /// <summary>Upgrades <paramref name="lake"/>, opened with <see cref="LakeOptions.ForUpgrade"/>.</summary>
    public static async Task<LakeUpgradeResult> RunAsync(LakeStore lake, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        if (!lake.Metadata.UpgradePending)
        {
            return new LakeUpgradeResult(0, 0, AlreadyCurrent: true);
        }

        var objects = lake.Encrypted is { } encrypted ? await encrypted.AssignLakeIdAsync("", cancellationToken).ConfigureAwait(false) : 0;
        progress?.Report($"{objects} object headers given the lake id");
        var tables = 0;
        var paths = new List<string>();
        await foreach (var path in DeltaTable.ListTablesAsync(lake.Objects, "", nested: true, cancellationToken).ConfigureAwait(false))
        {
            paths.Add(path);
        }

        foreach (var path in paths)
        {
            var table = await DeltaTable.OpenAsync(lake.Objects, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            await table.RecordHeadAsync(cancellationToken).ConfigureAwait(false);
            tables++;
        }

        progress?.Report($"{tables} tables given a head record");
        await lake.CompleteUpgradeAsync(cancellationToken).ConfigureAwait(false);
        return new LakeUpgradeResult(objects, tables, AlreadyCurrent: false);
    }
}
