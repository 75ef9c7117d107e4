namespace Fhirhouse.Ml.Features;

/// <summary>
/// A named SQL query over the lake's tables that features read. It returns <c>patient_id</c>; an event source also
/// returns <c>time</c> (a FHIR dateTime, partial dates included, or a timestamp); a <see cref="Static"/> source has one
/// row per patient and no time (demographics).
/// </summary>
public sealed record FeatureSource(string Name, string Sql, bool Static);
