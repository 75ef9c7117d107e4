namespace Fhirhouse.Fhir.FhirPath;

/// <summary>An invocation chain <c>left.right</c>: the right side reads what the left side produced.</summary>
internal sealed class PathNode(FhirPathNode left, FhirPathNode right) : FhirPathNode
{
    public FhirPathNode Left { get; } = left;

    public FhirPathNode Right { get; } = right;

    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var focus = context.Rent();
        Left.Evaluate(context, input, focus);
        Right.Evaluate(context, focus, output);

        context.Return(focus);
    }
}
