using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Ml.Features;

/// <summary>
/// <c>ml.features_NAME</c> (<c>tables/ml/features_NAME</c>), one per feature spec: one row per index row (patient,
/// index time, index id), the spec's features in its order (numbers as doubles, categories as strings), and the label
/// (1, 0, or null while its horizon has not passed), when it happened and when it is due. Each build replaces the rows
/// in one commit; a model's lineage records the version it learned from, and time travel re-reads exactly those rows.
/// <c>patient_id</c> names the patient, so the policies and the erasure know the rows.
/// </summary>
public static class FeatureTable
{
    /// <summary>The columns before the features.</summary>
    public static IReadOnlyList<string> KeyColumns { get; } = ["patient_id", "index_time", "index_id"];

    /// <summary>The columns after the features.</summary>
    public static IReadOnlyList<string> LabelColumns { get; } = ["label", "label_time", "label_due"];

    /// <summary>The table of <paramref name="spec"/> as declared to the lake.</summary>
    public static LakeTableDefinition Definition(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new LakeTableDefinition(spec.TableName, LakeLayout.Ml + "features_" + spec.Name, Schema(spec));
    }

    /// <summary>The table's columns for <paramref name="spec"/>.</summary>
    public static StructType Schema(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = new List<StructField>
        {
            new("patient_id", PrimitiveType.String, Nullable: false),
            new("index_time", PrimitiveType.Timestamp, Nullable: false),
            new("index_id", PrimitiveType.String),
        };
        fields.AddRange(spec.Features.Select(f => new StructField(f.Name, f.Categorical ? PrimitiveType.String : PrimitiveType.Double)));
        fields.Add(new StructField("label", PrimitiveType.Integer));
        fields.Add(new StructField("label_time", PrimitiveType.Timestamp));
        fields.Add(new StructField("label_due", PrimitiveType.Timestamp, Nullable: false));
        return new StructType(fields);
    }
}
