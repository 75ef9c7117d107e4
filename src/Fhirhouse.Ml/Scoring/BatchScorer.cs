using System.Text;
using Fhirhouse.Delta;
using Fhirhouse.Errors;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Query;
using Fhirhouse.Storage;

namespace Fhirhouse.Ml.Scoring;

/// <summary>What one scoring run did: the model, the feature table version scored, the rows and patients, the predictions table version and the FHIR landed.</summary>
public sealed record ScoringRun(ModelVersion Model, string FeatureTable, long FeatureTableVersion, int Rows, int Patients, long PredictionsVersion, long ResourcesLanded, double MeanProbability);

/// <summary>
/// Batch scoring (<c>ml score</c>): a model version scores the feature rows of a window (the table's latest version,
/// rebuilt first unless told otherwise) into <c>ml.predictions</c> (model version on every row, merged by
/// <c>prediction_id</c> so scoring again replaces) and, unless told otherwise, into FHIR landed in bronze (source
/// <c>ml</c>): a RiskAssessment and its Provenance per prediction and the model's Device, in payloads of
/// <see cref="BatchRows"/> predictions, each landed in the raw zone first like every source.
/// </summary>
public sealed class BatchScorer(IObjectStore lake, QueryEngine engine, TimeProvider time, DeltaTableOptions? tableOptions = null)
{
    /// <summary>The source name of the FHIR landed in bronze.</summary>
    public const string Source = "ml";

    /// <summary>Predictions per landed payload.</summary>
    public int BatchRows { get; init; } = 5000;

    /// <summary>Scores the rows of <paramref name="spec"/>'s feature table with index time in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<ScoringRun> ScoreAsync(
        PipelineSpec spec, ModelVersion model, DateTimeOffset? from, DateTimeOffset? to, bool rebuildFeatures = true, bool landFhir = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        if (!string.Equals(model.FeatureSpecHash, spec.Features.Hash, StringComparison.Ordinal))
        {
            throw new FhirhouseException(ErrorCodes.ModelRefused, ErrorKind.Usage,
                $"{model} learned the features of spec {model.FeatureSpecHash[..12]}, and the pipeline '{spec.Name}' now computes {spec.Features.Hash[..12]}: train a version on these features before scoring with them.");
        }

        long? version = null;
        if (rebuildFeatures)
        {
            version = (await new FeatureBuilder(lake, engine, tableOptions).BuildAsync(spec.Features, cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
        }

        var (rows, read) = await FeatureRows.ReadAsync(engine, spec.Features, version, from, to, cancellationToken).ConfigureAwait(false);
        var scorer = await new ModelRegistry(lake, time, tableOptions).LoadAsync(model, cancellationToken).ConfigureAwait(false);
        var probabilities = scorer.Score(rows);
        var scoredAt = time.GetUtcNow();

        // The FHIR is dated by the feature table version it was computed from, not by the clock, so that scoring the same
        // version again (after a crash between landing and ml.predictions) lands the same bytes, which the raw manifest
        // recognises: each RiskAssessment lands once.
        var asOf = (await (await DeltaTable.OpenAsync(lake, FeatureTable.Definition(spec.Features).Path, tableOptions ?? new DeltaTableOptions(), cancellationToken).ConfigureAwait(false))
            .GetSnapshotAsync(read, cancellationToken).ConfigureAwait(false)).Timestamp;
        var predictions = new List<object?[]>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            predictions.Add([
                RiskAssessmentJson.PredictionKey(model, row), model.Model, model.Version, row.PatientId, row.IndexTime, row.IndexId, probabilities[i], scoredAt,
                spec.Features.TableName, read, landFhir ? "RiskAssessment/" + RiskAssessmentJson.RiskAssessmentId(model, row) : null,
            ]);
        }

        long landed = 0;
        if (landFhir && rows.Count > 0)
        {
            var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions { Time = time }, cancellationToken).ConfigureAwait(false);
            var device = RiskAssessmentJson.Device(model, spec, asOf);
            for (var start = 0; start < rows.Count; start += BatchRows)
            {
                var ndjson = start == 0 ? new StringBuilder(device).Append('\n') : new StringBuilder();
                var end = Math.Min(rows.Count, start + BatchRows);
                for (var i = start; i < end; i++)
                {
                    ndjson.Append(RiskAssessmentJson.RiskAssessment(model, spec, rows[i], probabilities[i], asOf)).Append('\n');
                    ndjson.Append(RiskAssessmentJson.Provenance(model, rows[i], spec.Features.TableName, read, asOf)).Append('\n');
                }

                var raw = await ingestor.Raw.LandAsync(Encoding.UTF8.GetBytes(ndjson.ToString()), ".ndjson", cancellationToken).ConfigureAwait(false);
                var result = await ingestor.IngestAsync(raw, PayloadFormat.Ndjson, Source, $"ml score {model} rows {start}-{end - 1}", "application/fhir+ndjson", cancellationToken).ConfigureAwait(false);
                landed += result.Resources;
            }
        }

        var table = await MlTables.Predictions.OpenOrCreateAsync(lake, tableOptions ?? new DeltaTableOptions(), cancellationToken).ConfigureAwait(false);
        var commit = await table.MergeAsync(predictions, ["prediction_id"], cancellationToken).ConfigureAwait(false);
        return new ScoringRun(model, spec.Features.TableName, read, rows.Count, rows.Select(r => r.PatientId).Distinct(StringComparer.Ordinal).Count(), commit.Version, landed,
            probabilities.Count == 0 ? double.NaN : probabilities.Average());
    }
}
