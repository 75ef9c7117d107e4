using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Ingest.Views;

/// <summary>Collects a view's rows as Delta rows (the view's columns, then the resource key).</summary>
internal sealed class ViewRowBuffer(ViewDefinition view) : IViewRowSink
{
    private readonly ViewColumnType[] _types = view.Columns.Select(c => c.Type).ToArray();

    public List<object?[]> Rows { get; } = [];

    /// <summary>The "Type/id" of the resource being evaluated.</summary>
    public string ResourceKey { get; set; } = "";

    public void OnRow(ReadOnlySpan<ColumnValue> row)
    {
        var values = new object?[_types.Length + 1];
        for (var i = 0; i < _types.Length; i++)
        {
            values[i] = ViewSchema.Coerce(row[i].ToObject(), _types[i]);
        }

        values[_types.Length] = ResourceKey;
        Rows.Add(values);
    }
}
