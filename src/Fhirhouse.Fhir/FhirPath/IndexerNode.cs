namespace Fhirhouse.Fhir.FhirPath;

/// <summary><c>source[index]</c>: the item at a zero-based position, or nothing when out of range.</summary>
internal sealed class IndexerNode(FhirPathNode source, FhirPathNode index) : FhirPathNode
{
    public override void Evaluate(EvaluationContext context, ItemBuffer input, ItemBuffer output)
    {
        var positions = context.Rent();
        index.Evaluate(context, input, positions);
        if (positions.Count == 1 && positions[0].PrimitiveKind == ItemKind.Integer)
        {
            var position = positions[0].GetInteger();
            var items = context.Rent();
            source.Evaluate(context, input, items);
            if (position >= 0 && position < items.Count)
            {
                output.Add(items[(int)position]);
            }

            context.Return(items);
        }
        else if (positions.Count != 0)
        {
            throw new FhirPathException("an indexer needs a single integer");
        }

        context.Return(positions);
    }
}
