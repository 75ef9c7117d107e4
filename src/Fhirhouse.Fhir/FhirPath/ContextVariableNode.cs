namespace Fhirhouse.Fhir.FhirPath;

/// <summary>An environment variable that changes per evaluation: %resource and %rowIndex.</summary>
internal sealed class ContextVariableNode(bool rowIndex) : FhirPathNode
{
    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output) =>
        output.Add(rowIndex ? FhirItem.FromInteger(context.RowIndex) : context.Resource);
}
