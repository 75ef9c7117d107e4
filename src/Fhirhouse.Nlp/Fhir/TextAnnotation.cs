using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>One text of a source resource and what the engine read in it (<c>Annotator.Read</c>).</summary>
public sealed record TextAnnotation(SourceText Text, TextReading Reading);
