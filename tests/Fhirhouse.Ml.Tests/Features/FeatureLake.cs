using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Query;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Ml.Tests.Features;

/// <summary>A plaintext lake with small patient, observation and condition views written directly, for feature tests.</summary>
internal sealed class FeatureLake
{
    public FeatureLake(string folder)
    {
        Store = new LocalObjectStore(folder);
    }

    public IObjectStore Store { get; }

    public static StructType PatientSchema { get; } = new([new("id", PrimitiveType.String), new("gender", PrimitiveType.String), new("birth_date", PrimitiveType.String)]);

    public static StructType ObservationSchema { get; } = new([new("patient_id", PrimitiveType.String), new("code", PrimitiveType.String), new("effective", PrimitiveType.String), new("value", PrimitiveType.Double)]);

    public static StructType ConditionSchema { get; } = new([new("patient_id", PrimitiveType.String), new("code", PrimitiveType.String), new("onset", PrimitiveType.String)]);

    public static StructType EncounterSchema { get; } = new([new("id", PrimitiveType.String), new("patient_id", PrimitiveType.String), new("start", PrimitiveType.String)]);

    public async Task WriteAsync(string view, StructType schema, IEnumerable<object?[]> rows)
    {
        var path = Lake.LakeLayout.Views + view;
        var table = await DeltaTable.ExistsAsync(Store, path) ? await DeltaTable.OpenAsync(Store, path) : await DeltaTable.CreateAsync(Store, path, schema);
        await table.OverwriteAsync(rows);
    }

    public async Task<(FeatureBuild Build, List<object?[]> Rows)> BuildAsync(FeatureSpec spec, DateTimeOffset? knownUntil = null)
    {
        using var engine = new QueryEngine(Store, new QueryOptions { Catalog = new LakeCatalog(Store) });
        var build = await new FeatureBuilder(Store, engine).BuildAsync(spec, knownUntil);
        var table = await DeltaTable.OpenAsync(Store, FeatureTable.Definition(spec).Path);
        var rows = new List<object?[]>();
        await foreach (var row in (await table.GetSnapshotAsync(build.Version)).ReadRowsAsync())
        {
            rows.Add(row);
        }

        return (build, [.. rows.OrderBy(r => (string)r[0]!, StringComparer.Ordinal).ThenBy(r => (DateTimeOffset)r[1]!).ThenBy(r => r[2] as string, StringComparer.Ordinal)]);
    }

    /// <summary>A pipeline spec over these views: HbA1c (last in 2 years, count, days since), diabetes before the index, age and sex; label diabetes within a year.</summary>
    public const string SpecJson = """
        {
          "name": "test_onset",
          "index": "SELECT patient_id, start AS index_time, id AS index_id FROM views.encounter",
          "sources": {
            "patient": { "sql": "SELECT id AS patient_id, gender, birth_date FROM views.patient", "static": true },
            "obs": { "sql": "SELECT patient_id, effective AS time, code, value FROM views.observation" },
            "cond": { "sql": "SELECT patient_id, onset AS time, code FROM views.condition" }
          },
          "features": [
            { "name": "age", "source": "patient", "value": "date_diff('day', CAST(rpad(left(birth_date, 10), 10, '-01-01') AS DATE), CAST(index_time AS DATE)) / 365.25" },
            { "name": "sex", "source": "patient", "value": "gender", "type": "category" },
            { "name": "hba1c_last", "source": "obs", "where": "code = '4548-4'", "value": "value", "aggregate": "last", "window_days": 730 },
            { "name": "hba1c_max", "source": "obs", "where": "code = '4548-4'", "value": "value", "aggregate": "max" },
            { "name": "hba1c_count", "source": "obs", "where": "code = '4548-4'", "aggregate": "count", "window_days": 365 },
            { "name": "hba1c_days", "source": "obs", "where": "code = '4548-4'", "aggregate": "days_since_last" },
            { "name": "hypertension", "source": "cond", "where": "code = 'I10'", "aggregate": "exists" }
          ],
          "label": { "source": "cond", "where": "code = 'E11.9'", "horizon_days": 365, "exclude_prior": true },
          "subgroups": [ { "name": "sex", "feature": "sex" }, { "name": "age_band", "feature": "age", "bands": [40, 65] } ],
          "training": { "from": "2022-01-01", "to": "2023-01-01" },
          "gates": {}
        }
        """;

    public static FeatureSpec Spec => PipelineSpec.Parse(SpecJson).Features;
}
