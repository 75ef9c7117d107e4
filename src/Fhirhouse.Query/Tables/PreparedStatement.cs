namespace Fhirhouse.Query.Tables;

/// <summary>
/// A statement ready to run: the database it runs in (its tables registered there), its SQL after the time-travel
/// rewrite, the tables it reads, and the names of those tables and their columns (what an error may name).
/// </summary>
internal sealed record PreparedStatement(EngineDatabase Database, string Sql, List<TableScan> Scans, IReadOnlySet<string> Names);
