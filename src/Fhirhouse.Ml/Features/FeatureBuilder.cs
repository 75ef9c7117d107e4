using System.Globalization;
using Fhirhouse.Delta;
using Fhirhouse.Query;
using Fhirhouse.Storage;

namespace Fhirhouse.Ml.Features;

/// <summary>
/// Computes a <see cref="FeatureSpec"/>'s table with one SQL statement (<see cref="FeatureSql"/>) through the host's
/// <see cref="QueryEngine"/> (so the guard and the audit log see every table it reads) and replaces
/// <c>ml.features_NAME</c>'s rows with the result in one commit.
/// </summary>
public sealed class FeatureBuilder(IObjectStore lake, QueryEngine engine, DeltaTableOptions? tableOptions = null)
{
    private readonly DeltaTableOptions _options = tableOptions ?? new DeltaTableOptions();

    /// <summary>
    /// Builds the table. <paramref name="labelsKnownUntil"/>: outcomes due after it are unknown (null: the latest time any
    /// source holds). Throws <see cref="MlSpecException"/> when the table exists with other columns, and the query
    /// engine's errors when the spec's SQL fails or reads a table the caller may not.
    /// </summary>
    public async Task<FeatureBuild> BuildAsync(FeatureSpec spec, DateTimeOffset? labelsKnownUntil = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = await engine.ExecuteAsync(FeatureSql.Build(spec, labelsKnownUntil), cancellationToken: cancellationToken).ConfigureAwait(false);
        var definition = FeatureTable.Definition(spec);
        var table = await definition.OpenOrCreateAsync(lake, _options, cancellationToken).ConfigureAwait(false);
        var existing = (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Schema;
        if (!existing.Equals(definition.Schema))
        {
            throw new MlSpecException("features", $"{spec.TableName} exists with other columns ({existing}) than the spec gives ({definition.Schema}): name the changed spec differently, or remove {definition.Path} to rebuild it.");
        }

        var rows = new List<object?[]>(result.Rows.Count);
        var patients = new HashSet<string>(StringComparer.Ordinal);
        long positives = 0, negatives = 0, unlabelled = 0;
        var width = definition.Schema.Fields.Count;
        var labelColumn = width - 3;
        foreach (var source in result.Rows)
        {
            var row = new object?[width];
            row[0] = (string)source[0]!;
            row[1] = Timestamp(source[1])!;
            row[2] = source[2] as string;
            for (var f = 0; f < spec.Features.Count; f++)
            {
                var value = source[3 + f];
                row[3 + f] = spec.Features[f].Categorical ? value as string : value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
            }

            row[labelColumn] = source[labelColumn] is null ? null : Convert.ToInt32(source[labelColumn], CultureInfo.InvariantCulture);
            row[labelColumn + 1] = Timestamp(source[labelColumn + 1]);
            row[labelColumn + 2] = Timestamp(source[labelColumn + 2])!;
            _ = row[labelColumn] switch { 1 => positives++, 0 => negatives++, _ => unlabelled++ };
            patients.Add((string)row[0]!);
            rows.Add(row);
        }

        var commit = await table.OverwriteAsync(rows, cancellationToken: cancellationToken).ConfigureAwait(false);
        var sources = result.Tables.Select(t => new SourceVersion(t.Name, t.Version)).DistinctBy(t => t.Table, StringComparer.Ordinal).OrderBy(t => t.Table, StringComparer.Ordinal).ToList();
        return new FeatureBuild(spec.TableName, commit.Version, rows.Count, patients.Count, positives, negatives, unlabelled, labelsKnownUntil, spec.Hash, sources);
    }

    private static DateTimeOffset? Timestamp(object? value) => value switch
    {
        null => null,
        DateTimeOffset t => t.ToUniversalTime(),
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        _ => throw new InvalidOperationException($"A time column came back as {value.GetType().Name}."),
    };
}
