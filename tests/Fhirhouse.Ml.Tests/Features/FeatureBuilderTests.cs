using Fhirhouse.Ml.Features;
using Fhirhouse.Testing;

namespace Fhirhouse.Ml.Tests.Features;

public sealed class FeatureBuilderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static object?[] Obs(string patient, string time, double value, string code = "4548-4") => [patient, code, time, value];

    private static double? At(List<object?[]> rows, string indexId, string column)
    {
        var i = FeatureTable.Schema(FeatureLake.Spec).IndexOf(column);
        var value = rows.Single(r => (string?)r[2] == indexId)[i];
        return value is null ? null : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Features_read_only_rows_before_the_index_time_and_inside_their_window()
    {
        var lake = new FeatureLake(_folder.Path);
        await lake.WriteAsync("patient", FeatureLake.PatientSchema, [["p1", "female", "1970-06-15"], ["p2", "male", "1990"]]);
        await lake.WriteAsync("encounter", FeatureLake.EncounterSchema, [["e1", "p1", "2023-01-10T09:00:00+01:00"], ["e2", "p1", "2024-06-01T09:00:00Z"], ["e3", "p2", "2023-03-01"]]);
        await lake.WriteAsync("observation", FeatureLake.ObservationSchema, [
            Obs("p1", "2020-01-01T00:00:00Z", 9.0),                 // outside the 2-year window of e1, inside max's all-history
            Obs("p1", "2022-05-01T00:00:00Z", 6.0),
            Obs("p1", "2023-01-10T07:59:00Z", 6.5),                 // 1 minute before e1 (08:00Z)
            Obs("p1", "2023-01-10T08:00:00Z", 12.0),                // at e1's index time: not before it
            Obs("p1", "2024-01-01T00:00:00Z", 7.0),
            Obs("p1", "2024-01-01T00:00:00Z", 150, "2345-7"),       // another code
            Obs("p2", "2023-04-01", 8.0),                            // after p2's only index time
        ]);
        await lake.WriteAsync("condition", FeatureLake.ConditionSchema, [["p1", "I10", "2023-01-10T08:30:00Z"], ["p2", "I10", "2019"]]);

        var (build, rows) = await lake.BuildAsync(FeatureLake.Spec);

        Assert.Equal(3, build.Rows);
        Assert.Equal(2, build.Patients);
        Assert.Equal(6.5, At(rows, "e1", "hba1c_last"));
        Assert.Equal(9.0, At(rows, "e1", "hba1c_max"));
        Assert.Equal(2, At(rows, "e1", "hba1c_count"));             // 2022-05-01 is 254 days before, 2020 is out of 365
        Assert.Equal(1.0 / 1440, At(rows, "e1", "hba1c_days")!.Value, 9);
        Assert.Equal(0, At(rows, "e1", "hypertension"));              // diagnosed half an hour after e1
        Assert.Equal(7.0, At(rows, "e2", "hba1c_last"));              // 12.0 at e1 then 7.0 in 2024
        Assert.Equal(12.0, At(rows, "e2", "hba1c_max"));              // 9.0 is within all history too; 12 is the largest
        Assert.Equal(1, At(rows, "e2", "hypertension"));
        Assert.Null(At(rows, "e3", "hba1c_last"));                    // p2's only HbA1c came after
        Assert.Equal(0, At(rows, "e3", "hba1c_count"));
        Assert.Null(At(rows, "e3", "hba1c_days"));
        Assert.Equal(1, At(rows, "e3", "hypertension"));              // a year-only date, 2019
        Assert.Equal((new DateOnly(2023, 1, 10).DayNumber - new DateOnly(1970, 6, 15).DayNumber) / 365.25, At(rows, "e1", "age")!.Value, 9);
        Assert.Equal("female", rows.Single(r => (string?)r[2] == "e1")[4]);
        Assert.Equal(["views.condition", "views.encounter", "views.observation", "views.patient"], build.Sources.Select(s => s.Table));
    }

    [Fact]
    public async Task Labels_count_events_inside_the_horizon_are_unknown_before_it_passes_and_prior_cases_are_left_out()
    {
        var lake = new FeatureLake(_folder.Path);
        await lake.WriteAsync("patient", FeatureLake.PatientSchema, [["a", "female", "1960-01-01"], ["b", "male", "1960-01-01"], ["c", "male", "1960-01-01"], ["d", "female", "1960-01-01"]]);
        await lake.WriteAsync("encounter", FeatureLake.EncounterSchema, [
            ["a1", "a", "2023-01-01T00:00:00Z"], ["a2", "a", "2023-09-01T00:00:00Z"],   // diagnosis 2023-06-01: a1 positive; a2 after it, left out
            ["b1", "b", "2023-01-01T00:00:00Z"],                                        // diagnosis 2024-03-01: beyond 365 days, negative
            ["c1", "c", "2024-10-01T00:00:00Z"],                                        // nothing, but the horizon ends after the lake's data: unknown
            ["d1", "d", "2023-01-01T00:00:00Z"],                                        // diagnosis exactly at the index time: prior, left out
        ]);
        await lake.WriteAsync("observation", FeatureLake.ObservationSchema, [Obs("a", "2025-01-01T00:00:00Z", 5.0)]);
        await lake.WriteAsync("condition", FeatureLake.ConditionSchema, [["a", "E11.9", "2023-06-01T00:00:00Z"], ["b", "E11.9", "2024-03-01T00:00:00Z"], ["d", "E11.9", "2023-01-01T00:00:00Z"]]);

        var (build, rows) = await lake.BuildAsync(FeatureLake.Spec);

        Assert.Equal(["a1", "b1", "c1"], rows.Select(r => (string?)r[2]));
        var label = FeatureTable.Schema(FeatureLake.Spec).IndexOf("label");
        Assert.Equal([1, 0, null], rows.Select(r => (int?)r[label]));
        Assert.Equal(new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero), rows[0][label + 1]);
        Assert.Equal((1, 1, 1), (build.Positives, build.Negatives, build.Unlabelled));

        // Known until 2023-12-01, no horizon has passed: a1's diagnosis is seen, but its label waits for its horizon like
        // the others' (labelling early positives alone would teach a model trained on recent rows that every case is one).
        var (known, _) = await lake.BuildAsync(FeatureLake.Spec, new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal((0, 0, 3), (known.Positives, known.Negatives, known.Unlabelled));
        var (later, _) = await lake.BuildAsync(FeatureLake.Spec, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal((1, 1, 1), (later.Positives, later.Negatives, later.Unlabelled));
        Assert.Equal(build.Version + 1, known.Version);
    }

    [Fact]
    public async Task A_row_s_features_are_the_same_whatever_the_lake_holds_after_its_index_time()
    {
        // Random patients, encounters, results and diagnoses; for some index rows, the features computed on the whole
        // lake must equal those computed on a lake cut at that row's index time: nothing from the future leaks in.
        var random = new Random(20261203);
        var start = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string At(double days) => start.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal);
        var patients = Enumerable.Range(0, 30).Select(i => new object?[] { $"p{i}", i % 2 == 0 ? "female" : "male", $"{1940 + random.Next(60)}-0{1 + random.Next(9)}-1{random.Next(10)}" }).ToList();
        var encounters = Enumerable.Range(0, 120).Select(i => (Id: $"e{i}", Patient: $"p{random.Next(30)}", Days: random.NextDouble() * 1400)).ToList();
        var observations = Enumerable.Range(0, 600).Select(_ => (Patient: $"p{random.Next(30)}", Days: random.NextDouble() * 1460, Value: Math.Round(4 + (random.NextDouble() * 6), 2))).ToList();
        var conditions = Enumerable.Range(0, 40).Select(_ => (Patient: $"p{random.Next(30)}", Code: random.Next(2) == 0 ? "I10" : "E11.9", Days: random.NextDouble() * 1460)).ToList();

        async Task<List<object?[]>> BuildUntil(double cut)
        {
            var lake = new FeatureLake(Path.Combine(_folder.Path, $"cut-{cut:0.000}"));
            await lake.WriteAsync("patient", FeatureLake.PatientSchema, patients);
            await lake.WriteAsync("encounter", FeatureLake.EncounterSchema, encounters.Where(e => e.Days <= cut).Select(e => new object?[] { e.Id, e.Patient, At(e.Days) }));
            await lake.WriteAsync("observation", FeatureLake.ObservationSchema, observations.Where(o => o.Days < cut).Select(o => Obs(o.Patient, At(o.Days), o.Value)));
            await lake.WriteAsync("condition", FeatureLake.ConditionSchema, conditions.Where(c => c.Days < cut).Select(c => new object?[] { c.Patient, c.Code, At(c.Days) }));
            return (await lake.BuildAsync(FeatureLake.Spec, start.AddDays(5000))).Rows;
        }

        var whole = await BuildUntil(10_000);
        var features = FeatureTable.Schema(FeatureLake.Spec).Fields.Count - FeatureTable.LabelColumns.Count;
        var checkedRows = 0;
        foreach (var encounter in encounters.OrderBy(e => e.Days).Where((_, i) => i % 17 == 5))
        {
            var full = whole.SingleOrDefault(r => (string?)r[2] == encounter.Id);
            var cut = (await BuildUntil(encounter.Days)).SingleOrDefault(r => (string?)r[2] == encounter.Id);
            Assert.Equal(full is null, cut is null && conditions.Any(c => c.Patient == encounter.Patient && c.Code == "E11.9" && c.Days <= encounter.Days) || full is null);
            if (full is not null)
            {
                Assert.NotNull(cut);
                Assert.Equal(full[..features], cut![..features]);
                checkedRows++;
            }
        }

        Assert.True(checkedRows >= 5, $"only {checkedRows} rows compared");
    }
}
