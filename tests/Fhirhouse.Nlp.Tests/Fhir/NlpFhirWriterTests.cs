using System.Text.Json;
using Fhirhouse.Nlp.Fhir;

namespace Fhirhouse.Nlp.Tests.Fhir;

/// <summary>Which mention makes which resource, with what status, and what ties it to its source and to the engine.</summary>
public sealed class NlpFhirWriterTests
{
    private static List<JsonElement> Written(string text, string type) =>
        [.. Notes.Write(Notes.FrenchNote(text)).Resources.Where(r => r.ResourceType == type).Select(r => Json.Read(r.Json))];

    private static string Coded(JsonElement resource) =>
        resource.GetProperty("code").GetProperty("coding").EnumerateArray().First(c => c.GetProperty("system").GetString() == "http://snomed.info/sct").GetProperty("code").GetString()!;

    [Fact]
    public void A_negated_condition_is_refuted_with_no_clinical_status_and_a_suspected_one_unconfirmed()
    {
        var conditions = Written("Pas de douleur thoracique. Suspicion d'embolie pulmonaire. ATCD d'IDM.", "Condition");
        var chest = Assert.Single(conditions, c => Coded(c) == "29857009");
        Assert.Equal("refuted", Json.Code(chest, "verificationStatus"));
        Assert.False(chest.TryGetProperty("clinicalStatus", out _));
        var embolism = Assert.Single(conditions, c => Json.Code(c, "verificationStatus") == "unconfirmed");
        Assert.Equal("active", Json.Code(embolism, "clinicalStatus"));
        var infarction = Assert.Single(conditions, c => Json.Code(c, "verificationStatus") == "confirmed");
        Assert.Equal("inactive", Json.Code(infarction, "clinicalStatus"));
        Assert.All(conditions, c => Assert.Equal("Patient/p1", c.GetProperty("subject").GetProperty("reference").GetString()));
    }

    [Fact]
    public void A_relatives_condition_is_a_family_member_history_of_that_relative_and_not_a_condition_of_the_patient()
    {
        var output = Notes.Write(Notes.FrenchNote("Mère diabétique."));
        Assert.DoesNotContain(output.Resources, r => r.ResourceType == "Condition");
        var history = Json.Read(Assert.Single(output.Resources, r => r.ResourceType == "FamilyMemberHistory").Json);
        Assert.Equal("MTH", history.GetProperty("relationship").GetProperty("coding")[0].GetProperty("code").GetString());
        Assert.Equal("Patient/p1", history.GetProperty("patient").GetProperty("reference").GetString());
        Assert.Empty(Written("Pas d'antécédent familial de diabète.", "FamilyMemberHistory"));
    }

    [Fact]
    public void A_measurement_is_an_observation_with_its_value_and_a_drug_a_medication_statement_with_its_dosage()
    {
        var output = Notes.Write(Notes.FrenchNote("TA 150/95 mmHg. Metformine 850 mg 2 fois par jour. Arrêt du ramipril."));
        var pressure = Json.Read(Assert.Single(output.Resources, r => r.ResourceType == "Observation" && r.Json.Contains("85354-9", StringComparison.Ordinal)).Json);
        var components = pressure.GetProperty("component").EnumerateArray().Select(c => c.GetProperty("valueQuantity").GetProperty("value").GetDecimal()).ToList();
        Assert.Equal([150m, 95m], components);
        var statements = output.Resources.Where(r => r.ResourceType == "MedicationStatement").Select(r => Json.Read(r.Json)).ToList();
        var metformin = Assert.Single(statements, s => s.GetRawText().Contains("etformin", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("active", metformin.GetProperty("status").GetString());
        var repeat = metformin.GetProperty("dosage")[0].GetProperty("timing").GetProperty("repeat");
        Assert.Equal((2, "d"), (repeat.GetProperty("frequency").GetInt32(), repeat.GetProperty("periodUnit").GetString()));
        Assert.Contains(statements, s => s.GetProperty("status").GetString() == "stopped");
    }

    [Fact]
    public void Every_mention_resource_carries_its_source_and_span_and_the_provenance_names_all_of_them()
    {
        var output = Notes.Write(Notes.FrenchNote());
        var mentionResources = output.Resources.Where(r => NlpFhirWriter.MentionResourceTypes.Contains(r.ResourceType)).ToList();
        Assert.NotEmpty(mentionResources);
        foreach (var resource in mentionResources)
        {
            var parts = Json.Mention(Json.Read(resource.Json));
            Assert.Equal("DocumentReference/note-fr", parts["source"].Single().GetProperty("reference").GetString());
            Assert.True(parts["start"].Single().GetInt32() < parts["end"].Single().GetInt32());
        }

        var provenance = Json.Read(Assert.Single(output.Resources, r => r.ResourceType == "Provenance").Json);
        var targets = provenance.GetProperty("target").EnumerateArray().Select(t => t.GetProperty("reference").GetString()).ToHashSet();
        Assert.True(mentionResources.All(r => targets.Contains(r.Key)), "the Provenance targets every resource made");
        Assert.Contains(provenance.GetProperty("entity").EnumerateArray(), e => e.GetProperty("what").GetProperty("reference").GetString() == "DocumentReference/note-fr");
        Assert.All(output.Mentions.Where(m => m.ResourceKey is not null), m => Assert.Contains(output.Resources, r => r.Key == m.ResourceKey));
    }

    [Fact]
    public void The_same_input_gives_the_same_resources_and_another_engine_version_another_provenance_but_the_same_mentions()
    {
        var first = Notes.Write(Notes.FrenchNote());
        var again = Notes.Write(Notes.FrenchNote());
        Assert.Equal(first.Resources.Select(r => r.Json), again.Resources.Select(r => r.Json));
        var other = Notes.Write(Notes.FrenchNote(), "engine 2.0");
        var mentionKeys = first.Resources.Where(r => NlpFhirWriter.MentionResourceTypes.Contains(r.ResourceType)).Select(r => r.Key).ToList();
        Assert.Equal(mentionKeys, other.Resources.Where(r => NlpFhirWriter.MentionResourceTypes.Contains(r.ResourceType)).Select(r => r.Key));
        Assert.NotEqual(first.Resources.Single(r => r.ResourceType == "Device").Key, other.Resources.Single(r => r.ResourceType == "Device").Key);
    }

    [Fact]
    public void A_text_with_nothing_found_makes_no_resource_not_even_a_provenance()
    {
        var output = Notes.Write(Notes.FrenchNote("Bonjour, merci pour votre message."));
        Assert.Empty(output.Resources);
        Assert.Empty(output.Mentions);
    }
}
