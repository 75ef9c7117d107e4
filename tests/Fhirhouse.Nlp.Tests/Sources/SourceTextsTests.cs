using System.Text;
using System.Text.Json;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Tests.Sources;

public sealed class SourceTextsTests
{
    private static SourceReading Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SourceTexts.Read(document.RootElement.Clone()) ?? throw new InvalidOperationException("not a text resource");
    }

    private static string Base64(string text, Encoding? encoding = null) => Convert.ToBase64String((encoding ?? Encoding.UTF8).GetBytes(text));

    [Fact]
    public void A_document_reference_gives_its_plain_and_html_attachments_and_says_what_it_could_not_read()
    {
        var reading = Read($$$"""
            {"resourceType":"DocumentReference","id":"d1","language":"fr-FR","subject":{"reference":"Patient/p1"},"date":"2024-03-05T10:00:00Z",
             "meta":{"lastUpdated":"2024-03-06T00:00:00Z"},"context":{"encounter":[{"reference":"Encounter/e1"}]},
             "content":[
               {"attachment":{"contentType":"text/plain; charset=utf-8","data":"{{{Base64("Pas de fièvre.")}}}"}},
               {"attachment":{"contentType":"text/html","language":"en","data":"{{{Base64("<html><head><title>x</title></head><body><h1>Assessment</h1><p>No chest&nbsp;pain &amp; no fever.</p><script>var a=1;</script></body></html>")}}}"}},
               {"attachment":{"contentType":"application/pdf","data":"JVBERi0="}},
               {"attachment":{"contentType":"text/plain","url":"http://example.org/n.txt"}},
               {"attachment":{"contentType":"text/plain","data":"%%%"}},
               {"attachment":{"contentType":"text/plain; charset=iso-8859-1","data":"{{{Base64("Antécédents : HTA", Encoding.Latin1)}}}"}}
             ]}
            """);
        var d = reading.Document;
        Assert.Equal(("DocumentReference/d1", "Patient/p1", "Encounter/e1", 2024, "2024-03-06T00:00:00Z"), (d.Key, d.Subject, d.Encounter, d.WrittenYear, d.LastUpdated));
        Assert.Equal(["content[0].attachment", "content[1].attachment", "content[5].attachment"], d.Texts.Select(t => t.Path));
        Assert.Equal(("Pas de fièvre.", "fr-FR", false), (d.Texts[0].Text, d.Texts[0].Language, d.Texts[0].Html));
        Assert.Equal(("Assessment\nNo chest pain & no fever.", "en", true), (d.Texts[1].Text, d.Texts[1].Language, d.Texts[1].Html));
        Assert.Equal("Antécédents : HTA", d.Texts[2].Text);
        Assert.Equal(3, reading.Unread.Count);
        Assert.Contains(reading.Unread, u => u.StartsWith("content[2].attachment: content type application/pdf", StringComparison.Ordinal));
        Assert.Contains(reading.Unread, u => u.StartsWith("content[3].attachment: an attachment by url only", StringComparison.Ordinal));
        Assert.Contains(reading.Unread, u => u.StartsWith("content[4].attachment: data is not valid base64", StringComparison.Ordinal));
    }

    [Fact]
    public void A_utf8_attachment_with_invalid_bytes_is_listed_unread_not_decoded_with_replacement_characters()
    {
        var bytes = Convert.ToBase64String([0x48, 0xC3, 0x28]);
        var reading = Read($$$"""{"resourceType":"DocumentReference","id":"d","content":[{"attachment":{"contentType":"text/plain","data":"{{{bytes}}}"}}]}""");
        Assert.Empty(reading.Document.Texts);
        Assert.Single(reading.Unread);
    }

    [Fact]
    public void Reports_prescriptions_and_messages_give_their_texts_in_order()
    {
        var report = Read($$$"""{"resourceType":"DiagnosticReport","id":"r","issued":"2023-01-02T03:04:05+01:00","encounter":{"reference":"Encounter/e"},"presentedForm":[{"contentType":"text/plain","data":"{{{Base64("Radio thorax normale.")}}}"}],"conclusion":"Pas d'épanchement."}""");
        Assert.Equal(["presentedForm[0]", "conclusion"], report.Document.Texts.Select(t => t.Path));
        Assert.Equal(("Encounter/e", 2023), (report.Document.Encounter, report.Document.WrittenYear));

        var prescription = Read("""{"resourceType":"MedicationRequest","id":"m","authoredOn":"2022","dosageInstruction":[{"text":"metformine 850 mg 2 fois par jour"},{"patientInstruction":"au milieu du repas"}],"note":[{"text":"arrêt si diarrhée"}]}""");
        Assert.Equal(["dosageInstruction[0].text", "dosageInstruction[1].patientInstruction", "note[0].text"], prescription.Document.Texts.Select(t => t.Path));
        Assert.Equal(2022, prescription.Document.WrittenYear);

        var message = Read("""{"resourceType":"Communication","id":"c","language":"en-GB","sent":"2025-06-01T08:00:00Z","payload":[{"contentString":"I have had a cough for a week."},{"contentReference":{"reference":"Binary/b"}}]}""");
        Assert.Equal(("payload[0].contentString", "I have had a cough for a week.", "en-GB"), (message.Document.Texts[0].Path, message.Document.Texts[0].Text, message.Document.Texts[0].Language));
    }

    [Fact]
    public void Resources_without_free_text_types_are_not_read()
    {
        using var observation = JsonDocument.Parse("""{"resourceType":"Observation","id":"o","note":[{"text":"x"}]}""");
        Assert.Null(SourceTexts.Read(observation.RootElement));
        using var noId = JsonDocument.Parse("""{"resourceType":"Communication","payload":[{"contentString":"x"}]}""");
        Assert.Null(SourceTexts.Read(noId.RootElement));
    }

    [Theory]
    [InlineData("<p>a</p><p>b</p>", "a\nb")]
    [InlineData("x<br/>y", "x\ny")]
    [InlineData("<!-- secret -->t", "t")]
    [InlineData("if a < 5 then", "if a < 5 then")]
    [InlineData("<ul><li>HTA</li><li>DT2</li></ul>", "HTA\nDT2")]
    [InlineData("<style>p{}</style>  T &eacute;  a   b ", "T é a b")]
    public void Html_becomes_its_text_with_blocks_on_their_own_lines(string html, string text) => Assert.Equal(text, HtmlText.ToText(html));
}
