using System.Text;
using System.Text.Json;
using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>
/// A SQL-on-FHIR v2 ViewDefinition, checked and compiled once: the resource type it reads, the columns it produces and
/// the evaluator that flattens resources into rows.
/// </summary>
public sealed class ViewDefinition
{
    private ViewDefinition(ViewDefinitionParser parsed)
    {
        Name = parsed.Name;
        Resource = parsed.Resource;
        ResourceUtf8 = Encoding.UTF8.GetBytes(parsed.Resource);
        Columns = parsed.Columns;
        Where = parsed.Where;
        WherePaths = parsed.WherePaths;
        Root = parsed.Root;
    }

    /// <summary>The view's name (a SQL table name), or null when the definition has none.</summary>
    public string? Name { get; }

    /// <summary>The FHIR resource type the view reads (Patient, Observation...).</summary>
    public string Resource { get; }

    /// <summary>The output columns, in order.</summary>
    public IReadOnlyList<ViewColumn> Columns { get; }

    internal byte[] ResourceUtf8 { get; }

    internal FhirPathNode[] Where { get; }

    internal string[] WherePaths { get; }

    internal SelectPlan Root { get; }

    /// <summary>Checks and compiles a ViewDefinition resource.</summary>
    /// <exception cref="ViewDefinitionException">The definition is invalid; <see cref="ViewDefinitionException.Path"/> says where.</exception>
    public static ViewDefinition Parse(JsonElement view) => new(ViewDefinitionParser.Parse(view));

    /// <summary>Checks and compiles a ViewDefinition resource given as JSON text.</summary>
    /// <exception cref="ViewDefinitionException">The definition is invalid or is not JSON.</exception>
    public static ViewDefinition Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ViewDefinitionException(string.Empty, "the ViewDefinition is not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            return Parse(document.RootElement);
        }
    }

    /// <summary>A new evaluator for this view: reusable across resources, one per thread.</summary>
    public ViewEvaluator CreateEvaluator() => new(this);

    /// <summary>Evaluates the view over one resource and returns its rows as CLR values (for tests and small inputs).</summary>
    /// <exception cref="ViewDefinitionException">The view fails on this resource.</exception>
    public IReadOnlyList<ViewRow> Evaluate(JsonElement resource)
    {
        var sink = new ViewRowCollector(Columns);
        CreateEvaluator().Evaluate(resource, sink);
        return sink.Rows;
    }
}
