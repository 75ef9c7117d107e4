using System.Text.Json;
using System.Text.RegularExpressions;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Messages;
using Fhirhouse.Testing;

namespace Fhirhouse.Synthetic.Tests;

public sealed class MessageGroundTruthTests(GeneratedHospital hospital) : IClassFixture<GeneratedHospital>
{
    private static readonly string[] s_no = ["non", "non pas du tout", "pas du tout", "nn", "no", "nope", "no not at all"];
    private static readonly string[] s_yes = ["oui", "oui depuis hier", "oui depuis ce matin", "un peu", "oui beaucoup", "ouais", "yes", "yes since this morning", "yeah", "a bit", "yes quite bad", "yep"];
    private static readonly string[] s_unsure = ["je ne sais pas", "je sais pas", "jsp", "peut-être", "peut-etre", "idk", "not sure", "i don't know", "maybe"];

    private List<JsonElement> Communications => hospital.Resources["Communication"];

    private Dictionary<string, JsonElement> CommunicationsById() =>
        Communications.ToDictionary(c => "Communication/" + c.GetProperty("id").GetString(), StringComparer.Ordinal);

    private static string Channel(JsonElement communication) => communication.GetProperty("category")[0].GetProperty("coding")[0].GetProperty("code").GetString()!;

    [Fact]
    public void There_is_one_ground_truth_line_per_message_and_every_mention_offset_spans_its_text()
    {
        var messages = CommunicationsById();
        Assert.Equal(messages.Count, hospital.MessageTruths.Count);
        Assert.Equal(hospital.Summary.Messages, messages.Count);
        var mentions = 0;
        foreach (var truth in hospital.MessageTruths)
        {
            var id = truth.GetProperty("communication").GetString()!;
            Assert.Equal(id, truth.GetProperty("resource").GetString());
            var text = GeneratedHospital.MessageText(messages[id]);
            Assert.Equal(Channel(messages[id]), truth.GetProperty("channel").GetString());
            foreach (var m in truth.GetProperty("mentions").EnumerateArray())
            {
                Assert.Equal(m.GetProperty("text").GetString(), text[m.GetProperty("start").GetInt32()..m.GetProperty("end").GetInt32()]);
                mentions++;
            }
        }

        Assert.True(mentions > messages.Count * 2, $"{mentions} mentions in {messages.Count} messages");
    }

    [Fact]
    public void Note_lines_keep_their_document_reference_and_name_it_as_their_resource()
    {
        Assert.All(hospital.Truths, t => Assert.Equal(t.GetProperty("documentReference").GetString(), t.GetProperty("resource").GetString()));
        Assert.All(hospital.MessageTruths, t => Assert.False(t.TryGetProperty("documentReference", out _)));
    }

    [Fact]
    public void Every_mention_names_a_catalog_concept_with_its_codes()
    {
        foreach (var m in hospital.MessageTruths.SelectMany(t => t.GetProperty("mentions").EnumerateArray()))
        {
            var concept = Concepts.ByKey(m.GetProperty("concept").GetString()!);
            Assert.Equal(concept.Snomed.Value, m.GetProperty("snomed").GetString());
            Assert.Equal(concept.Icd10.Value, m.GetProperty("icd10").GetString());
        }
    }

    [Fact]
    public void Every_catalog_term_written_in_a_message_is_a_recorded_mention()
    {
        var forms = Concepts.All.SelectMany(c => c.AllSurfaceForms()).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ToList();
        var pattern = new Regex(
            @"(?<![\p{L}\p{N}])(" + string.Join("|", forms.Select(Regex.Escape)) + @")(?![\p{L}\p{N}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var messages = CommunicationsById();
        foreach (var truth in hospital.MessageTruths)
        {
            var id = truth.GetProperty("communication").GetString()!;
            var recorded = truth.GetProperty("mentions").EnumerateArray().Select(m => (m.GetProperty("start").GetInt32(), m.GetProperty("end").GetInt32())).ToHashSet();
            foreach (Match match in pattern.Matches(GeneratedHospital.MessageText(messages[id])))
            {
                Assert.True(recorded.Contains((match.Index, match.Index + match.Length)), $"'{match.Value}' at {match.Index} in {id} is not in the ground truth");
            }
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public void Each_language_has_present_absent_possible_historical_and_family_mentions_in_messages(string language)
    {
        var assertions = hospital.MessageTruths
            .Where(t => t.GetProperty("language").GetString() == language)
            .SelectMany(t => t.GetProperty("mentions").EnumerateArray())
            .GroupBy(m => m.GetProperty("assertion").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var kind in new[] { "present", "absent", "possible", "historical", "family" })
        {
            Assert.True(assertions.GetValueOrDefault(kind) >= 3, $"{language}: only {assertions.GetValueOrDefault(kind)} '{kind}' mentions");
        }
    }

    [Theory]
    [InlineData("fr", "patient-portal")]
    [InlineData("en", "patient-portal")]
    [InlineData("fr", "triage-chatbot")]
    [InlineData("en", "triage-chatbot")]
    public void Both_channels_come_in_both_languages(string language, string channel)
    {
        var count = hospital.MessageTruths.Count(t => t.GetProperty("language").GetString() == language && t.GetProperty("channel").GetString() == channel);
        Assert.True(count >= 5, $"{count} {channel} messages in {language}");
    }

    [Fact]
    public void A_concept_the_bot_asks_about_takes_its_assertion_from_the_patients_answer()
    {
        var messages = CommunicationsById();
        var checkedByCertainty = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var truth in hospital.MessageTruths.Where(t => t.GetProperty("channel").GetString() == "triage-chatbot"))
        {
            var text = GeneratedHospital.MessageText(messages[truth.GetProperty("communication").GetString()!]);
            foreach (var m in truth.GetProperty("mentions").EnumerateArray())
            {
                var start = m.GetProperty("start").GetInt32();
                var lineStart = text.LastIndexOf('\n', start) + 1;
                if (!text[lineStart..].StartsWith("Assistant : ", StringComparison.Ordinal) && !text[lineStart..].StartsWith("Bot: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var answerStart = text.IndexOf('\n', start) + 1;
                var answerEnd = text.IndexOf('\n', answerStart);
                var answer = text[answerStart..(answerEnd < 0 ? text.Length : answerEnd)];
                Assert.StartsWith("Patient", answer, StringComparison.Ordinal);
                var said = answer[(answer.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().ToLowerInvariant();
                var expected = s_no.Contains(said) || said.StartsWith("non pas ", StringComparison.Ordinal) || said.StartsWith("no ", StringComparison.Ordinal) ? "negated"
                    : s_unsure.Contains(said) ? "possible"
                    : s_yes.Contains(said) || said.StartsWith("oui", StringComparison.Ordinal) || said.StartsWith("yes", StringComparison.Ordinal) ? "affirmed"
                    : null;
                Assert.True(expected is not null, $"unexpected answer '{said}'");
                Assert.Equal(expected, m.GetProperty("certainty").GetString());
                checkedByCertainty[expected!] = checkedByCertainty.GetValueOrDefault(expected!) + 1;
            }
        }

        Assert.True(checkedByCertainty.GetValueOrDefault("negated") >= 20, $"{checkedByCertainty.GetValueOrDefault("negated")} questions answered no");
        Assert.True(checkedByCertainty.GetValueOrDefault("affirmed") >= 10);
        Assert.True(checkedByCertainty.GetValueOrDefault("possible") >= 3);
    }

    [Fact]
    public void Triage_chats_come_from_the_bot_before_their_emergency_encounter_starts()
    {
        var encounters = hospital.Resources["Encounter"].ToDictionary(e => "Encounter/" + e.GetProperty("id").GetString(), StringComparer.Ordinal);
        var bot = "Device/" + hospital.Resources["Device"].Single().GetProperty("id").GetString();
        var chats = Communications.Where(c => Channel(c) == "triage-chatbot").ToList();
        Assert.NotEmpty(chats);
        foreach (var chat in chats)
        {
            var encounter = encounters[chat.GetProperty("encounter").GetProperty("reference").GetString()!];
            Assert.Equal("EMER", encounter.GetProperty("class").GetProperty("code").GetString());
            Assert.Equal(encounter.GetProperty("subject").GetProperty("reference").GetString(), chat.GetProperty("subject").GetProperty("reference").GetString());
            Assert.True(chat.GetProperty("sent").GetDateTimeOffset() < encounter.GetProperty("period").GetProperty("start").GetDateTimeOffset());
            Assert.Equal(bot, chat.GetProperty("sender").GetProperty("reference").GetString());
            Assert.StartsWith("Organization/", chat.GetProperty("recipient")[0].GetProperty("reference").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Portal_messages_go_from_patient_to_clinician_at_most_once_a_year_and_replies_answer_them()
    {
        var portal = Communications.Where(c => Channel(c) == "patient-portal").ToList();
        var sent = portal.Where(c => !c.TryGetProperty("inResponseTo", out _)).ToList();
        var replies = portal.Where(c => c.TryGetProperty("inResponseTo", out _)).ToList();
        Assert.NotEmpty(replies);
        Assert.All(sent, c =>
        {
            Assert.Equal(c.GetProperty("subject").GetProperty("reference").GetString(), c.GetProperty("sender").GetProperty("reference").GetString());
            Assert.StartsWith("Practitioner/", c.GetProperty("recipient")[0].GetProperty("reference").GetString(), StringComparison.Ordinal);
            Assert.False(c.TryGetProperty("encounter", out _));
        });
        Assert.All(sent.GroupBy(c => (c.GetProperty("subject").GetProperty("reference").GetString(), c.GetProperty("sent").GetDateTimeOffset().Year)), g => Assert.Single(g));

        var byId = portal.ToDictionary(c => "Communication/" + c.GetProperty("id").GetString(), StringComparer.Ordinal);
        foreach (var reply in replies)
        {
            var original = byId[reply.GetProperty("inResponseTo")[0].GetProperty("reference").GetString()!];
            Assert.Equal(original.GetProperty("recipient")[0].GetProperty("reference").GetString(), reply.GetProperty("sender").GetProperty("reference").GetString());
            Assert.True(reply.GetProperty("sent").GetDateTimeOffset() > original.GetProperty("sent").GetDateTimeOffset());
        }

        var patientsWriting = sent.Select(c => c.GetProperty("subject").GetProperty("reference").GetString()).Distinct(StringComparer.Ordinal).Count();
        Assert.InRange(patientsWriting, hospital.Options.Patients / 5, hospital.Options.Patients * 3 / 4);
    }

    [Fact]
    public void Messages_are_written_as_patients_write()
    {
        var portal = string.Join("\n", Communications.Where(c => Channel(c) == "patient-portal").Select(GeneratedHospital.MessageText));
        foreach (var phrase in new[] { "bjr", "svp", "pcq", "thx", "idk", "depuis", "pas d", "no ", "ma |mon ", "my ", "ago|back in|last year", "ça pourrait être|ca pourrait etre|peut-être|peut-etre|peur que", "could it be|is it possible|might be" })
        {
            Assert.Matches(new Regex(phrase, RegexOptions.IgnoreCase), portal);
        }

        Assert.Matches(new Regex("fievre|nausees|paracetamol|tete"), portal);
        Assert.Contains(Communications, c => Channel(c) == "patient-portal" && GeneratedHospital.MessageText(c) == GeneratedHospital.MessageText(c).ToLowerInvariant());
    }

    [Fact]
    public void Messages_carry_the_language_and_channel_of_their_ground_truth()
    {
        var truths = hospital.MessageTruths.ToDictionary(t => t.GetProperty("communication").GetString()!, StringComparer.Ordinal);
        foreach (var c in Communications)
        {
            var truth = truths["Communication/" + c.GetProperty("id").GetString()];
            Assert.Equal(truth.GetProperty("language").GetString() == "fr" ? "fr-FR" : "en-GB", c.GetProperty("language").GetString());
            Assert.Equal("completed", c.GetProperty("status").GetString());
            Assert.Equal(MessageChannels.System, c.GetProperty("category")[0].GetProperty("coding")[0].GetProperty("system").GetString());
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_messages()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        var options = new HospitalOptions { Patients = 30, Seed = 21 };
        var first = new HospitalGenerator(options).Generate(a.Path);
        new HospitalGenerator(options).Generate(b.Path);
        Assert.True(first.Messages > 0);
        var files = Directory.GetFiles(a.Path, "Communication.*.ndjson").Select(Path.GetFileName).Append(HospitalGenerator.GroundTruthFileName).ToList();
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, f!)), File.ReadAllBytes(Path.Combine(b.Path, f!))));
    }
}
