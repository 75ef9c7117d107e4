using System.Text.Json;
using Fhirhouse.Errors;
using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>
/// Evaluates one compiled view over resources, streaming rows to a sink. Reuses its buffers between resources: create
/// one per thread (it is not thread-safe) with <see cref="ViewDefinition.CreateEvaluator"/>.
/// </summary>
public sealed class ViewEvaluator
{
    private readonly ViewDefinition _view;
    private readonly ColumnValue[] _row;
    private ContinuationFrame[] _frames = new ContinuationFrame[8];
    private int _depth;
    private IViewRowSink? _sink;
    private int _rows;

    internal ViewEvaluator(ViewDefinition view)
    {
        _view = view;
        _row = new ColumnValue[view.Columns.Count];
    }

    internal EvaluationContext Context { get; } = new();

    /// <summary>
    /// Evaluates the view over one resource and returns the number of rows sent to <paramref name="sink"/>; a resource
    /// of another type, or one the view's <c>where</c> rejects, gives none.
    /// </summary>
    /// <exception cref="ViewDefinitionException">The view fails on this resource (the path says where).</exception>
    public int Evaluate(JsonElement resource, IViewRowSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (resource.ValueKind != JsonValueKind.Object || !resource.TryGetProperty("resourceType"u8, out var type)
            || !type.ValueEquals(_view.ResourceUtf8))
        {
            return 0;
        }

        var focus = FhirItem.FromElement(resource);
        Context.Resource = focus;
        Context.RowIndex = 0;
        if (!Passes(focus))
        {
            return 0;
        }

        _sink = sink;
        _rows = 0;
        _depth = 0;
        _view.Root.Run(this, focus, 0);
        _sink = null;
        return _rows;
    }

    /// <summary>Parses one resource from UTF-8 JSON and evaluates the view over it (see <see cref="Evaluate(JsonElement, IViewRowSink)"/>).</summary>
    /// <exception cref="JsonException">The bytes are not JSON.</exception>
    /// <exception cref="ViewDefinitionException">The view fails on this resource (the path says where).</exception>
    public int Evaluate(ReadOnlyMemory<byte> utf8Resource, IViewRowSink sink)
    {
        using var document = JsonDocument.Parse(utf8Resource);
        return Evaluate(document.RootElement, sink);
    }

    internal void SetColumn(ColumnPlan plan, in FhirItem focus)
    {
        var values = Context.Rent();
        var input = Context.Rent(focus);
        Run(plan.Expression, input, values, plan.Path);

        var column = plan.Column;
        if (column.Collection)
        {
            _row[plan.Slot] = ColumnValue.Many(column.Type, values.ToArray());
        }
        else if (values.Count == 0)
        {
            _row[plan.Slot] = ColumnValue.Null(column.Type);
        }
        else if (values.Count == 1)
        {
            _row[plan.Slot] = ColumnValue.Single(column.Type, values[0]);
        }
        else
        {
            throw new ViewDefinitionException(plan.Path, $"returned {values.Count} values for column '{column.Name}'; declare it with \"collection\": true or make the path return one value", ErrorKind.Data);
        }

        Context.Return(input);
        Context.Return(values);
    }

    /// <summary>Evaluates an expression of the view; an error it raises on this resource names its place in the view.</summary>
    internal void Run(FhirPathNode expression, ItemBuffer input, ItemBuffer output, string path)
    {
        try
        {
            expression.Evaluate(Context, input, output);
        }
        catch (Exception e) when (e is FhirPathException or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            var id = Context.Resource.Element.TryGetProperty("id"u8, out var idElement) ? idElement.ToString() : "?";
            // A conversion error's message may quote the resource's value: only FHIRPath's own messages are kept.
            var reason = e is FhirPathException ? e.Message : $"a value could not be evaluated ({e.GetType().Name})";
            throw new ViewDefinitionException(path, $"{reason} (on {_view.Resource}/{id})", e, ErrorKind.Data);
        }
    }

    internal void RunParts(SelectPlan[] parts, int index, in FhirItem focus, int rowIndex)
    {
        if (index == parts.Length)
        {
            Next();
            return;
        }

        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[_depth++] = new ContinuationFrame(parts, index + 1, focus, rowIndex);
        parts[index].Run(this, focus, rowIndex);
        _depth--;
    }

    /// <summary>Continues with what the enclosing selects still have to combine, or emits the row when nothing is left.</summary>
    internal void Next()
    {
        if (_depth == 0)
        {
            _rows++;
            _sink!.OnRow(_row);
            return;
        }

        var frame = _frames[--_depth];
        RunParts(frame.Parts, frame.Index, frame.Focus, frame.RowIndex);
        _frames[_depth++] = frame;
    }

    private bool Passes(in FhirItem resource)
    {
        var filters = _view.Where;
        for (var i = 0; i < filters.Length; i++)
        {
            var result = Context.Rent();
            var input = Context.Rent(resource);
            Run(filters[i], input, result, _view.WherePaths[i]);

            if (result.Count > 1 || (result.Count == 1 && result[0].PrimitiveKind != ItemKind.Boolean))
            {
                throw new ViewDefinitionException(_view.WherePaths[i], "must return a boolean, not " + (result.Count > 1 ? $"{result.Count} values" : result[0].PrimitiveKind.ToString()), ErrorKind.Data);
            }

            var passes = result.Count == 1 && result[0].GetBoolean();
            Context.Return(input);
            Context.Return(result);
            if (!passes)
            {
                return false;
            }
        }

        return true;
    }
}
