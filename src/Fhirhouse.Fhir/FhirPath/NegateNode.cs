namespace Fhirhouse.Fhir.FhirPath;

/// <summary>Unary minus on a number.</summary>
internal sealed class NegateNode(FhirPathNode operand) : FhirPathNode
{
    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var value = context.Rent();
        operand.Evaluate(context, input, value);
        if (value.Count == 1)
        {
            output.Add(value[0].PrimitiveKind switch
            {
                ItemKind.Integer => FhirItem.FromInteger(-value[0].GetInteger()),
                ItemKind.Decimal => FhirItem.FromDecimal(-value[0].GetNumber()),
                _ => throw new FhirPathException("unary minus needs a number"),
            });
        }

        context.Return(value);
    }
}
