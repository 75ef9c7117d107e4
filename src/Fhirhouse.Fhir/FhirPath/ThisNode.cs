namespace Fhirhouse.Fhir.FhirPath;

/// <summary><c>$this</c>: the input collection itself.</summary>
internal sealed class ThisNode : FhirPathNode
{
    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output) => output.AddRange(input);
}
