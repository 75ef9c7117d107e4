namespace Fhirhouse.Query.Access;

/// <summary>
/// Records every statement the engine runs (the audit trail): called once per statement, after it ran and before its
/// rows are returned, and for refused or failed statements too. When recording fails, the statement fails and returns nothing.
/// </summary>
public interface IQueryRecorder
{
    Task RecordAsync(QueryRecord record, CancellationToken cancellationToken);
}
