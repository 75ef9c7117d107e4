using System.Text;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Notes;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// Builds a message's text piece by piece in the voice of whoever is writing it and records where each concept
/// mention lands (offsets taken after the voice has changed the text).
/// </summary>
internal sealed class MessageBuilder(Random rng)
{
    private readonly StringBuilder _text = new(512);
    private readonly List<NoteMention> _mentions = [];

    /// <summary>Who is writing from now on: the patient's voice, or <see cref="PatientVoice.Careful"/> for the bot and the team.</summary>
    public PatientVoice Voice { get; set; } = PatientVoice.Careful;

    public int MentionCount => _mentions.Count;

    public MessageBuilder Text(string text)
    {
        _text.Append(Voice.Type(text));
        return this;
    }

    public MessageBuilder Line(string text = "")
    {
        _text.Append(Voice.Type(text)).Append('\n');
        return this;
    }

    /// <summary>Appends one mention of <paramref name="concept"/> written as <paramref name="text"/>.</summary>
    public MessageBuilder Mention(ClinicalConcept concept, string text, Certainty certainty, Temporality temporality = Temporality.Current, Experiencer experiencer = Experiencer.Patient)
    {
        var typed = Voice.TypeMention(text, rng);
        var start = _text.Length;
        _text.Append(typed);
        _mentions.Add(new NoteMention(concept.Key, typed, start, _text.Length, certainty, temporality, experiencer));
        return this;
    }

    /// <summary>Appends <paramref name="template"/> with its one <c>{t}</c> replaced by a mention.</summary>
    public MessageBuilder Say(string template, ClinicalConcept concept, string text, Certainty certainty, Temporality temporality = Temporality.Current, Experiencer experiencer = Experiencer.Patient)
    {
        var at = template.IndexOf("{t}", StringComparison.Ordinal);
        Text(template[..at]);
        Mention(concept, text, certainty, temporality, experiencer);
        return Text(template[(at + 3)..]);
    }

    public MessageTruth Build(string communicationId, string patientId, string? encounterId, string language, MessageChannel channel) =>
        new(communicationId, patientId, encounterId, language, channel, _text.ToString().TrimEnd('\n', ' '), [.. _mentions]);
}
