namespace Fhirhouse.Fhir.FhirPath;

/// <summary>A compiled FHIRPath expression node: reads the input collection and appends its result to the output.</summary>
internal abstract class FhirPathNode
{
    public abstract void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output);
}
