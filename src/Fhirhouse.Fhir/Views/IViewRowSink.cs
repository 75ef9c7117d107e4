namespace Fhirhouse.Fhir.Views;

/// <summary>Receives the rows a view produces, one call per row, columns in <see cref="ViewDefinition.Columns"/> order.</summary>
public interface IViewRowSink
{
    /// <summary>
    /// One row. The span and the values it holds are reused and may read the resource being evaluated: they are
    /// valid only during this call.
    /// </summary>
    void OnRow(ReadOnlySpan<ColumnValue> row);
}
