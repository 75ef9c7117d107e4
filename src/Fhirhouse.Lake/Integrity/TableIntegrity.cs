using Fhirhouse.Delta;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Heads;

namespace Fhirhouse.Lake.Integrity;

/// <summary>
/// Checks every table of a lake as a whole: each log's hash chain from its oldest commit still kept to its latest, and
/// its head record (newest commits deleted, a checkpoint deleted with its commits, a commit replaced by an older copy or
/// by another table's, a table folder replaced, a table deleted while its head record remains). Backs
/// <c>fhirhouse lake verify</c> beside the object-by-object check.
/// </summary>
public static class TableIntegrity
{
    /// <summary>The problems of every table (those with a log and those with only a head record); empty when all are intact.</summary>
    public static async Task<IReadOnlyList<TableProblem>> VerifyAsync(IObjectStore lake, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var tables = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var path in DeltaTable.ListTablesAsync(lake, "", nested: true, cancellationToken).ConfigureAwait(false))
        {
            tables.Add(path);
        }

        if (lake is ITableHeadStore { KeepsTableHeads: true } heads)
        {
            await foreach (var path in heads.ListTablesWithHeadsAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(path);
            }
        }

        var problems = new List<TableProblem>();
        foreach (var table in tables)
        {
            progress?.Report(table);
            try
            {
                foreach (var message in await DeltaTable.VerifyLogAsync(lake, table, cancellationToken).ConfigureAwait(false))
                {
                    problems.Add(new TableProblem(table, message));
                }
            }
            catch (Exception e) when (e is Errors.FhirhouseException or IOException or InvalidDataException)
            {
                problems.Add(new TableProblem(table, e.Message));
            }
        }

        return problems;
    }
}
