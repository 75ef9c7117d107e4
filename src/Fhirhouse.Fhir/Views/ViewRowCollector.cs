namespace Fhirhouse.Fhir.Views;

/// <summary>A sink that copies every row into a list of <see cref="ViewRow"/>.</summary>
internal sealed class ViewRowCollector(IReadOnlyList<ViewColumn> columns) : IViewRowSink
{
    public List<ViewRow> Rows { get; } = [];

    public void OnRow(ReadOnlySpan<ColumnValue> row)
    {
        var values = new object?[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            values[i] = row[i].ToObject();
        }

        Rows.Add(new ViewRow(columns, values));
    }
}
