using Fhirhouse.Ml.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Fhirhouse.Ml.Training;

/// <summary>A trained model loaded for scoring: rows in, probabilities of the outcome out, in row order.</summary>
public sealed class ModelScorer
{
    private readonly MLContext _ml = new(seed: 0);
    private readonly ITransformer _model;
    private readonly FeatureEncoding _encoding;

    /// <summary>Loads the ML.NET model <paramref name="bytes"/> with the encoding it was trained with.</summary>
    public ModelScorer(byte[] bytes, FeatureEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(encoding);
        using var stream = new MemoryStream(bytes, writable: false);
        _model = _ml.Model.Load(stream, out _);
        _encoding = encoding;
    }

    /// <summary>The probability of the outcome for each row.</summary>
    public IReadOnlyList<double> Score(IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return [];
        }

        var data = ModelInput.View(_ml, rows.Select(r => new ModelInput { Features = _encoding.Encode(r) }), _encoding.Width);
        var scored = _model.Transform(data);
        return [.. scored.GetColumn<float>("Probability").Select(p => (double)p)];
    }
}
