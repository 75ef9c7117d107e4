namespace Fhirhouse.Nlp.Sources;

/// <summary>
/// One text of a resource, as the annotator reads it: where it is in the resource (<see cref="Path"/>, a FHIRPath-like
/// location such as <c>content[0].attachment</c> or <c>payload[1].contentString</c>), the text itself (an attachment
/// decoded from base64; HTML reduced to its text, see <see cref="HtmlText"/>) and the language the resource says it is in.
/// Mention offsets are offsets into <see cref="Text"/>.
/// </summary>
/// <param name="Path">Where the text is in its resource; stable, so that a mention's id does not change between runs.</param>
/// <param name="Text">The text.</param>
/// <param name="Language">The language declared for it (a BCP 47 tag: <c>fr-FR</c>, <c>en</c>), or null.</param>
/// <param name="Html">The text was read from text/html.</param>
public sealed record SourceText(string Path, string Text, string? Language, bool Html = false);
