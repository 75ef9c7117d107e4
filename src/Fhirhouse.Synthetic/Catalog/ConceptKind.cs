namespace Fhirhouse.Synthetic.Catalog;

/// <summary>How a concept behaves in a patient's story.</summary>
public enum ConceptKind
{
    /// <summary>A long-term condition that stays active once diagnosed.</summary>
    Chronic,

    /// <summary>An episode diagnosed at one encounter and resolved after.</summary>
    Acute,

    /// <summary>A symptom or finding: mentioned in notes, not coded as a Condition.</summary>
    Symptom,

    /// <summary>A general family-history concept (e.g. diabetes of unstated type).</summary>
    FamilyOnly,
}
