using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Testing;

namespace Fhirhouse.Fhir.Tests.Views;

/// <summary>
/// The default views over real Synthea data (bulk-10-patients), checked against answers computed here from the raw
/// NDJSON with JsonNode, without the view engine.
/// </summary>
public sealed class DefaultViewsTests
{
    private static readonly Lazy<Dictionary<string, List<JsonNode>>> s_raw = new(LoadRaw);
    private static readonly Lazy<Dictionary<string, List<ViewRow>>> s_rows = new(EvaluateAll);

    [Fact]
    public void Every_default_view_compiles_and_has_a_name_matching_its_file()
    {
        Assert.Equal(DefaultViews.Names, DefaultViews.All.Select(v => v.Name));
        Assert.Equal(
            ["AllergyIntolerance", "Condition", "DocumentReference", "Encounter", "Immunization", "MedicationRequest", "Observation", "Patient", "Procedure"],
            DefaultViews.All.Select(v => v.Resource));
    }

    [Fact]
    public void Unknown_default_view_names_the_known_ones()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => DefaultViews.Get("patients"));
        Assert.Contains("patient, procedure", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("patient", "Patient")]
    [InlineData("encounter", "Encounter")]
    [InlineData("condition", "Condition")]
    [InlineData("medication_request", "MedicationRequest")]
    [InlineData("procedure", "Procedure")]
    [InlineData("document_reference", "DocumentReference")]
    [InlineData("immunization", "Immunization")]
    [InlineData("allergy_intolerance", "AllergyIntolerance")]
    public void Each_view_has_one_row_per_resource_keyed_by_its_id(string view, string resourceType)
    {
        var raw = s_raw.Value[resourceType];
        var rows = s_rows.Value[view];
        Assert.NotEmpty(raw);
        Assert.Equal(
            raw.Select(r => (string)r["id"]!).Order(StringComparer.Ordinal),
            rows.Select(r => (string)r["id"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Patient_count_and_genders_match_the_raw_data()
    {
        var raw = s_raw.Value["Patient"];
        var rows = s_rows.Value["patient"];
        Assert.Equal(13, rows.Count);
        Assert.Equal(raw.Count, rows.Count);
        Assert.Equal(Count(raw, r => (string?)r["gender"]), Count(rows, r => (string?)r["gender"]));
        Assert.Equal(raw.Count(r => r["deceasedDateTime"] is not null), rows.Count(r => Equals(r["deceased"], true)));
        Assert.Equal(
            raw.ToDictionary(r => (string)r["id"]!, r => (string?)r["birthDate"]),
            rows.ToDictionary(r => (string)r["id"]!, r => (string?)r["birth_date"]));
    }

    [Fact]
    public void Conditions_per_code_match_the_raw_data()
    {
        var raw = s_raw.Value["Condition"];
        var rows = s_rows.Value["condition"];
        var expected = Count(raw, r => (string?)r["code"]!["coding"]![0]!["code"]);
        Assert.Equal(expected, Count(rows, r => (string?)r["code"]));
        Assert.Equal(212, expected["160903007"]);
    }

    [Fact]
    public void Encounters_per_class_match_the_raw_data()
    {
        var raw = s_raw.Value["Encounter"];
        var rows = s_rows.Value["encounter"];
        var expected = Count(raw, r => (string?)r["class"]!["code"]);
        Assert.Equal(expected, Count(rows, r => (string?)r["class_code"]));
        Assert.Equal(1133, expected["AMB"]);
    }

    [Fact]
    public void Medication_requests_per_code_match_the_raw_data()
    {
        var raw = s_raw.Value["MedicationRequest"];
        var rows = s_rows.Value["medication_request"];
        Assert.Equal(
            Count(raw, r => (string?)r["medicationCodeableConcept"]!["coding"]![0]!["code"]),
            Count(rows, r => (string?)r["medication_code"]));
    }

    [Fact]
    public void Immunizations_per_vaccine_and_procedures_per_code_match_the_raw_data()
    {
        Assert.Equal(
            Count(s_raw.Value["Immunization"], r => (string?)r["vaccineCode"]!["coding"]![0]!["code"]),
            Count(s_rows.Value["immunization"], r => (string?)r["vaccine_code"]));
        Assert.Equal(
            Count(s_raw.Value["Procedure"], r => (string?)r["code"]!["coding"]![0]!["code"]),
            Count(s_rows.Value["procedure"], r => (string?)r["code"]));
    }

    [Fact]
    public void Every_clinical_row_points_at_a_patient_of_the_patient_view()
    {
        var patients = s_rows.Value["patient"].Select(r => (string)r["id"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var view in new[] { "encounter", "condition", "medication_request", "procedure", "document_reference", "immunization", "allergy_intolerance" })
        {
            var rows = s_rows.Value[view];
            Assert.All(rows, r => Assert.Contains((string)r["patient_id"]!, patients));
        }

        var encounters = s_rows.Value["encounter"].Select(r => (string)r["id"]!).ToHashSet(StringComparer.Ordinal);
        Assert.All(s_rows.Value["condition"], r => Assert.Contains((string)r["encounter_id"]!, encounters));
    }

    [Fact]
    public void Encounter_periods_are_the_raw_start_and_end()
    {
        var raw = s_raw.Value["Encounter"].ToDictionary(r => (string)r["id"]!);
        foreach (var row in s_rows.Value["encounter"])
        {
            var period = raw[(string)row["id"]!]["period"]!;
            Assert.Equal((string?)period["start"], row["start"]);
            Assert.Equal((string?)period["end"], row["end"]);
        }
    }

    [Fact]
    public void Observation_view_gives_value_and_unit_of_quantities_and_codes_of_coded_values()
    {
        using var quantity = JsonDocument.Parse("""
            {"resourceType":"Observation","id":"o1","status":"final",
             "category":[{"coding":[{"code":"laboratory"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
             "subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},
             "effectiveDateTime":"2020-01-02T03:04:05+01:00",
             "valueQuantity":{"value":6.50,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}
            """);
        using var coded = JsonDocument.Parse("""
            {"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"code":"72166-2"}]},
             "subject":{"reference":"urn:uuid:p2"},"effectivePeriod":{"start":"2021-05-06"},
             "valueCodeableConcept":{"coding":[{"code":"266919005","display":"Never smoked tobacco"}]}}
            """);
        var view = DefaultViews.Get("observation");

        var a = Assert.Single(view.Evaluate(quantity.RootElement));
        var b = Assert.Single(view.Evaluate(coded.RootElement));

        Assert.Equal(6.50m, a["value"]);
        Assert.Equal("%", a["unit"]);
        Assert.Equal("p1", a["patient_id"]);
        Assert.Equal("e1", a["encounter_id"]);
        Assert.Equal("4548-4", a["code"]);
        Assert.Equal("2020-01-02T03:04:05+01:00", a["effective"]);
        Assert.Null(a["value_code"]);
        Assert.Equal("266919005", b["value_code"]);
        Assert.Equal("p2", b["patient_id"]);
        Assert.Equal("2021-05-06", b["effective"]);
        Assert.Null(b["value"]);
        Assert.Equal(ViewColumnType.Decimal, view.Columns.Single(c => c.Name == "value").Type);
    }

    private static Dictionary<string, int> Count<T>(IEnumerable<T> items, Func<T, string?> key) =>
        items.GroupBy(i => key(i) ?? "<null>", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static Dictionary<string, List<JsonNode>> LoadRaw()
    {
        var raw = new Dictionary<string, List<JsonNode>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(RepoPaths.TestData("fhir", "bulk-10-patients"), "*.ndjson"))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject node || node["resourceType"] is null)
                {
                    continue;
                }

                var type = (string)node["resourceType"]!;
                if (!raw.TryGetValue(type, out var list))
                {
                    raw[type] = list = [];
                }

                list.Add(node);
            }
        }

        return raw;
    }

    private static Dictionary<string, List<ViewRow>> EvaluateAll()
    {
        var rows = DefaultViews.Names.ToDictionary(n => n, _ => new List<ViewRow>(), StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(RepoPaths.TestData("fhir", "bulk-10-patients"), "*.ndjson"))
        {
            foreach (var line in File.ReadLines(file))
            {
                using var resource = JsonDocument.Parse(line);
                foreach (var view in DefaultViews.All)
                {
                    rows[view.Name!].AddRange(view.Evaluate(resource.RootElement));
                }
            }
        }

        return rows;
    }
}
