namespace Fhirhouse.Ml.Features;

/// <summary>
/// What a model learns from, point-in-time correct: the index rows (<see cref="IndexSql"/>: one row per
/// <c>patient_id</c> and <c>index_time</c>, the moment a prediction is made, and <c>index_id</c>, what the prediction
/// is about, such as the encounter, or NULL), the <see cref="Sources"/> features read, the <see cref="Features"/> (each from rows strictly before the
/// index time), the <see cref="Label"/> (from rows after it) and the <see cref="Subgroups"/> metrics are split by.
/// Part of a <see cref="Pipelines.PipelineSpec"/>; <see cref="Hash"/> is what a model's lineage records.
/// </summary>
public sealed record FeatureSpec(
    string Name,
    string IndexSql,
    IReadOnlyList<FeatureSource> Sources,
    IReadOnlyList<FeatureDefinition> Features,
    LabelDefinition Label,
    IReadOnlyList<SubgroupDefinition> Subgroups)
{
    /// <summary>The SHA-256 (lowercase hex) of the spec's canonical form: equal for specs that compute the same table.</summary>
    public string Hash => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Canonical())));

    /// <summary>The feature table's qualified name: <c>ml.features_NAME</c>.</summary>
    public string TableName => "ml.features_" + Name;

    private string Canonical()
    {
        var text = new System.Text.StringBuilder();
        text.Append("name=").Append(Name).Append('\n').Append("index=").Append(IndexSql).Append('\n');
        foreach (var s in Sources)
        {
            text.Append("source=").Append(s.Name).Append('|').Append(s.Static).Append('|').Append(s.Sql).Append('\n');
        }

        foreach (var f in Features)
        {
            text.Append("feature=").Append(f.Name).Append('|').Append(f.Source).Append('|').Append(f.Aggregate).Append('|').Append(f.Value).Append('|')
                .Append(f.Where).Append('|').Append(f.WindowDays).Append('|').Append(f.Categorical).Append('\n');
        }

        text.Append("label=").Append(Label.Source).Append('|').Append(Label.Where).Append('|').Append(Label.HorizonDays).Append('|').Append(Label.ExcludePrior).Append('\n');
        return text.ToString();
    }
}
