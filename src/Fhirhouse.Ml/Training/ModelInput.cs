using Microsoft.ML;
using Microsoft.ML.Data;

namespace Fhirhouse.Ml.Training;

/// <summary>A row as ML.NET reads it: the encoded features and the outcome.</summary>
internal sealed class ModelInput
{
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    /// <summary>The rows as a data view whose feature vector has <paramref name="width"/> slots.</summary>
    public static IDataView View(MLContext ml, IEnumerable<ModelInput> rows, int width)
    {
        var schema = SchemaDefinition.Create(typeof(ModelInput));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }
}
