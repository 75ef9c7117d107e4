namespace Fhirhouse.Synthetic.Notes;

/// <summary>Whether a mention is about now or about a past, resolved episode.</summary>
public enum Temporality
{
    Current,
    Historical,
}
