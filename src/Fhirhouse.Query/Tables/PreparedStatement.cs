using Fhirhouse.Query.Sql;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// A statement ready to run: the database it runs in (its tables registered there), its SQL after the time-travel
/// rewrite, the tables it reads as scans and as registered.
/// </summary>
internal sealed record PreparedStatement(EngineDatabase Database, string Sql, List<TableScan> Scans, IReadOnlyList<TableRead> Tables)
{
    /// <summary>The names of the tables read and of their columns: what an error may name (computed only when one does).</summary>
    public IReadOnlySet<string> Names()
    {
        var names = new HashSet<string>(AsciiIgnoreCase.Comparer);
        foreach (var read in Tables)
        {
            names.Add(read.Name);
            names.UnionWith(read.Columns.Select(c => c.Name));
        }

        return names;
    }
}
