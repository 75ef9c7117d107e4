namespace Fhirhouse.Query;

/// <summary>
/// A lake table a query read: the name it had in SQL, the Delta table path, the version read, its data files and how
/// many of them were left after pruning (the others were never opened). <see cref="Restricted"/>: the table was read
/// through masks or a row filter; its file counts are then plan details not to show the reader.
/// </summary>
public sealed record TableScan(string Name, string Path, long Version, int Files, int FilesRead, bool Restricted = false);
