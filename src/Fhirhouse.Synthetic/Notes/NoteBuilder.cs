using System.Text;
using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Notes;

/// <summary>
/// Builds a note's text from templates and records where each concept mention lands.
/// Template tokens: {t} the mention as written, {T} the mention capitalised, {de} {un} {le} {e} French articles and
/// agreement for the mention's term, {a} the mention written as an adjective (family history), {A} capitalised,
/// and {0}.. for plain arguments.
/// </summary>
internal sealed class NoteBuilder
{
    private readonly StringBuilder _text = new(2048);
    private readonly List<NoteMention> _mentions = [];

    public int Length => _text.Length;

    public IReadOnlyList<NoteMention> Mentions => _mentions;

    public NoteBuilder Text(string text)
    {
        _text.Append(text);
        return this;
    }

    public NoteBuilder Line(string text = "")
    {
        _text.Append(text).Append('\n');
        return this;
    }

    /// <summary>Appends the template with one concept mention.</summary>
    public NoteBuilder Say(string template, ClinicalConcept concept, Term term, Certainty certainty, Temporality temporality = Temporality.Current, Experiencer experiencer = Experiencer.Patient, params string[] args)
    {
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                _text.Append(template, i, template.Length - i);
                break;
            }

            _text.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            var token = template[(open + 1)..close];
            switch (token)
            {
                case "t":
                    Mention(concept, term.Text, certainty, temporality, experiencer);
                    break;
                case "T":
                    Mention(concept, Capitalise(term.Text), certainty, temporality, experiencer);
                    break;
                case "a":
                    Mention(concept, args[^1], certainty, temporality, experiencer);
                    break;
                case "A":
                    Mention(concept, Capitalise(args[^1]), certainty, temporality, experiencer);
                    break;
                case "de":
                    _text.Append(term.DePrefix);
                    break;
                case "un":
                    _text.Append(term.UnPrefix);
                    break;
                case "le":
                    _text.Append(term.LePrefix);
                    break;
                case "e":
                    _text.Append(term.E);
                    break;
                default:
                    _text.Append(args[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)]);
                    break;
            }

            i = close + 1;
        }

        return this;
    }

    public NoteTruth Build(string documentReferenceId, string patientId, string encounterId, string language) =>
        new(documentReferenceId, patientId, encounterId, language, _text.ToString(), [.. _mentions]);

    internal static string Capitalise(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private void Mention(ClinicalConcept concept, string text, Certainty certainty, Temporality temporality, Experiencer experiencer)
    {
        var start = _text.Length;
        _text.Append(text);
        _mentions.Add(new NoteMention(concept.Key, text, start, _text.Length, certainty, temporality, experiencer));
    }
}
