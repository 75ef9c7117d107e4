using Fhirhouse.Errors;

namespace Fhirhouse.Delta;

/// <summary>
/// The table's log disagrees with its head record or breaks its hash chain: newest commits deleted, a commit replaced
/// by another, a log from another table. <see cref="Table"/> names the table; the message names the versions.
/// </summary>
public sealed class TableTamperedException : FhirhouseException
{
    public TableTamperedException(string table, string message)
        : base(ErrorCodes.TableTampered, ErrorKind.Data, $"Table '{table}' failed its tamper check: {message}") => Table = table;

    public string Table { get; }
}
