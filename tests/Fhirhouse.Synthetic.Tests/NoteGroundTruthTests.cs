using System.Text.Json;
using System.Text.RegularExpressions;
using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Tests;

public sealed class NoteGroundTruthTests(GeneratedHospital hospital) : IClassFixture<GeneratedHospital>
{
    private Dictionary<string, string> NotesById() => hospital.Resources["DocumentReference"]
        .ToDictionary(n => "DocumentReference/" + n.GetProperty("id").GetString(), GeneratedHospital.NoteText, StringComparer.Ordinal);

    [Fact]
    public void There_is_one_ground_truth_line_per_note_and_every_mention_offset_spans_its_text()
    {
        var notes = NotesById();
        Assert.Equal(notes.Count, hospital.Truths.Count);
        var mentions = 0;
        foreach (var truth in hospital.Truths)
        {
            var text = notes[truth.GetProperty("documentReference").GetString()!];
            foreach (var m in truth.GetProperty("mentions").EnumerateArray())
            {
                var start = m.GetProperty("start").GetInt32();
                var end = m.GetProperty("end").GetInt32();
                Assert.Equal(m.GetProperty("text").GetString(), text[start..end]);
                mentions++;
            }
        }

        Assert.True(mentions > hospital.Truths.Count * 3, $"{mentions} mentions in {hospital.Truths.Count} notes");
    }

    [Fact]
    public void Every_catalog_term_written_in_a_note_is_a_recorded_mention()
    {
        var forms = Concepts.All.SelectMany(c => c.AllSurfaceForms()).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ToList();
        var pattern = new Regex(
            @"(?<![\p{L}\p{N}])(" + string.Join("|", forms.Select(Regex.Escape)) + @")(?![\p{L}\p{N}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var notes = NotesById();
        foreach (var truth in hospital.Truths)
        {
            var id = truth.GetProperty("documentReference").GetString()!;
            var recorded = truth.GetProperty("mentions").EnumerateArray().Select(m => (m.GetProperty("start").GetInt32(), m.GetProperty("end").GetInt32())).ToHashSet();
            foreach (Match match in pattern.Matches(notes[id]))
            {
                Assert.True(recorded.Contains((match.Index, match.Index + match.Length)), $"'{match.Value}' at {match.Index} in {id} is not in the ground truth");
            }
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public void Each_language_has_present_absent_possible_historical_and_family_mentions(string language)
    {
        var assertions = hospital.Truths
            .Where(t => t.GetProperty("language").GetString() == language)
            .SelectMany(t => t.GetProperty("mentions").EnumerateArray())
            .GroupBy(m => m.GetProperty("assertion").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var kind in new[] { "present", "absent", "possible", "historical", "family" })
        {
            Assert.True(assertions.GetValueOrDefault(kind) >= 5, $"{language}: only {assertions.GetValueOrDefault(kind)} '{kind}' mentions");
        }
    }

    [Fact]
    public void Notes_use_the_phrasings_clinicians_write()
    {
        var all = string.Join("\n", NotesById().Values);
        foreach (var phrase in new[] { "Pas de ", "Suspicion d", "Antécédents familiaux", "TA ", "mmHg", "No evidence of ", "Rule out ", "Family history", "BP " })
        {
            Assert.Contains(phrase, all, StringComparison.Ordinal);
        }

        Assert.Matches(new Regex(@"T° \d\d,\d °C"), all);
        Assert.Matches(new Regex(@"Temp \d\d\.\d °C"), all);
    }

    [Fact]
    public void Mentioned_present_chronic_conditions_are_coded_conditions_of_the_same_patient()
    {
        var conditionsByPatient = hospital.Resources["Condition"]
            .GroupBy(c => c.GetProperty("subject").GetProperty("reference").GetString()!)
            .ToDictionary(g => g.Key, g => g.SelectMany(c => c.GetProperty("code").GetProperty("coding").EnumerateArray().Select(x => x.GetProperty("code").GetString()!)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var checkedMentions = 0;
        foreach (var truth in hospital.Truths)
        {
            var patient = truth.GetProperty("patient").GetString()!;
            foreach (var m in truth.GetProperty("mentions").EnumerateArray())
            {
                var concept = Concepts.ByKey(m.GetProperty("concept").GetString()!);
                if (concept.Kind == ConceptKind.Chronic && m.GetProperty("assertion").GetString() == "present")
                {
                    var codes = conditionsByPatient.GetValueOrDefault(patient) ?? [];
                    Assert.True(codes.Contains(concept.Snomed.Value) || codes.Contains(concept.Icd10.Value) || (concept == Concepts.Hypertension && codes.Contains("59621000")), $"{patient}: note says {concept.Key} but no Condition codes it");
                    checkedMentions++;
                }
            }
        }

        Assert.True(checkedMentions > 50);
    }

    [Fact]
    public void Offsets_are_in_characters_of_the_decoded_text_even_with_accents()
    {
        var accented = hospital.Truths
            .SelectMany(t => t.GetProperty("mentions").EnumerateArray())
            .First(m => m.GetProperty("text").GetString()!.Any(ch => ch > 127));
        var text = accented.GetProperty("text").GetString()!;
        Assert.Equal(text.Length, accented.GetProperty("end").GetInt32() - accented.GetProperty("start").GetInt32());
    }
}
