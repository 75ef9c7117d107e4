namespace Fhirhouse.Fhir.FhirPath;

/// <summary>A literal or a view constant: one fixed item, or nothing for <c>{}</c>.</summary>
internal sealed class LiteralNode(FhirItem? value) : FhirPathNode
{
    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        if (value is { } item)
        {
            output.Add(item);
        }
    }
}
