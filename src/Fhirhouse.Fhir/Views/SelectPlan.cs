using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>
/// A compiled <c>select</c>: its iteration (forEach, forEachOrNull or repeat), its columns and its parts (nested selects
/// and one unionAll), whose rows combine as a cartesian product. A unionAll is a plan with <see cref="Branches"/> only. When
/// forEachOrNull finds nothing, the parts run once over an empty focus, so that columns are null and %rowIndex is 0.
/// </summary>
internal sealed class SelectPlan
{
    public required string Path { get; init; }

    public FhirPathNode? ForEach { get; init; }

    public bool OrNull { get; init; }

    public FhirPathNode[]? Repeat { get; init; }

    /// <summary>Where forEach, forEachOrNull or repeat[i] is in the view, for errors.</summary>
    public string[] IterationPaths { get; init; } = [];

    public ColumnPlan[] Columns { get; init; } = [];

    public SelectPlan[] Parts { get; init; } = [];

    public SelectPlan[]? Branches { get; init; }

    /// <summary>Every output slot this plan and its parts fill, in column order.</summary>
    public int[] Slots { get; init; } = [];

    public void Run(ViewEvaluator evaluator, in FhirItem focus, int rowIndex)
    {
        if (Branches is not null)
        {
            foreach (var branch in Branches)
            {
                branch.Run(evaluator, focus, rowIndex);
            }

            return;
        }

        if (ForEach is null && Repeat is null)
        {
            Focus(evaluator, focus, rowIndex);
            return;
        }

        var context = evaluator.Context;
        var foci = context.Rent();
        var input = context.Rent(focus);
        context.RowIndex = rowIndex;
        if (ForEach is not null)
        {
            evaluator.Run(ForEach, input, foci, IterationPaths[0]);
        }
        else
        {
            Descend(evaluator, input, foci);
        }

        context.Return(input);
        if (foci.Count == 0 && OrNull)
        {
            Focus(evaluator, default, 0);
        }

        for (var i = 0; i < foci.Count; i++)
        {
            Focus(evaluator, foci[i], i);
        }

        context.Return(foci);
    }

    private void Descend(ViewEvaluator evaluator, ItemBuffer input, ItemBuffer output)
    {
        var context = evaluator.Context;
        var children = context.Rent();
        for (var p = 0; p < Repeat!.Length; p++)
        {
            children.Clear();
            evaluator.Run(Repeat[p], input, children, IterationPaths[p]);
            for (var i = 0; i < children.Count; i++)
            {
                output.Add(children[i]);
                var child = context.Rent(children[i]);
                Descend(evaluator, child, output);
                context.Return(child);
            }
        }

        context.Return(children);
    }

    private void Focus(ViewEvaluator evaluator, in FhirItem focus, int rowIndex)
    {
        evaluator.Context.RowIndex = rowIndex;
        foreach (var column in Columns)
        {
            evaluator.SetColumn(column, focus);
        }

        evaluator.RunParts(Parts, 0, focus, rowIndex);
    }
}
