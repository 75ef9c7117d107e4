namespace Fhirhouse.Nlp.Measurements;

/// <summary>A value of a panel (FHIR <c>Observation.component</c>), in the unit of its <see cref="MeasurementMention"/>.</summary>
public sealed record MeasurementComponent(string Loinc, string Display, decimal Value);
