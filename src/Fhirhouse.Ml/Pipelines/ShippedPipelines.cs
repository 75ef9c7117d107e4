namespace Fhirhouse.Ml.Pipelines;

/// <summary>
/// The pipeline specs shipped with Fhirhouse for the views of the synthetic hospital (and any lake with the same
/// views): <c>t2d_onset_1y</c> (type 2 diabetes diagnosed within a year of an ambulatory visit) and
/// <c>readmission_30d</c> (an inpatient stay followed by another within 30 days of discharge). See docs/ml.md.
/// </summary>
public static class ShippedPipelines
{
    private const string Prefix = "Fhirhouse.Ml.Pipelines.Shipped.";

    /// <summary>The names of the shipped specs.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. typeof(ShippedPipelines).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length]).Order(StringComparer.Ordinal)];

    /// <summary>The shipped spec of that name, or null.</summary>
    public static PipelineSpec? Get(string name)
    {
        using var stream = typeof(ShippedPipelines).Assembly.GetManifestResourceStream(Prefix + name + ".json");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return PipelineSpec.Parse(reader.ReadToEnd());
    }
}
