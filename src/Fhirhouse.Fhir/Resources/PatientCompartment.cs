using System.Collections.Frozen;

namespace Fhirhouse.Fhir.Resources;

/// <summary>
/// The FHIR R4 Patient compartment (CompartmentDefinition/patient): for each resource type, the element paths whose
/// references put a resource in a patient's compartment, in the definition's order. Generated from the R4
/// specification's CompartmentDefinition and SearchParameter expressions. A Patient is in its own compartment.
/// </summary>
public static class PatientCompartment
{
    private static readonly FrozenDictionary<string, string[]> s_paths = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Account"] = ["subject"],
        ["AdverseEvent"] = ["subject"],
        ["AllergyIntolerance"] = ["patient", "recorder", "asserter"],
        ["Appointment"] = ["participant.actor"],
        ["AppointmentResponse"] = ["actor"],
        ["AuditEvent"] = ["agent.who", "entity.what"],
        ["Basic"] = ["subject", "author"],
        ["BodyStructure"] = ["patient"],
        ["CarePlan"] = ["subject", "activity.detail.performer"],
        ["CareTeam"] = ["subject", "participant.member"],
        ["ChargeItem"] = ["subject"],
        ["Claim"] = ["patient", "payee.party"],
        ["ClaimResponse"] = ["patient"],
        ["ClinicalImpression"] = ["subject"],
        ["Communication"] = ["subject", "sender", "recipient"],
        ["CommunicationRequest"] = ["subject", "sender", "recipient", "requester"],
        ["Composition"] = ["subject", "author", "attester.party"],
        ["Condition"] = ["subject", "asserter"],
        ["Consent"] = ["patient"],
        ["Coverage"] = ["policyHolder", "subscriber", "beneficiary", "payor"],
        ["CoverageEligibilityRequest"] = ["patient"],
        ["CoverageEligibilityResponse"] = ["patient"],
        ["DetectedIssue"] = ["patient"],
        ["DeviceRequest"] = ["subject", "performer"],
        ["DeviceUseStatement"] = ["subject"],
        ["DiagnosticReport"] = ["subject"],
        ["DocumentManifest"] = ["subject", "author", "recipient"],
        ["DocumentReference"] = ["subject", "author"],
        ["Encounter"] = ["subject"],
        ["EnrollmentRequest"] = ["candidate"],
        ["EpisodeOfCare"] = ["patient"],
        ["ExplanationOfBenefit"] = ["patient", "payee.party"],
        ["FamilyMemberHistory"] = ["patient"],
        ["Flag"] = ["subject"],
        ["Goal"] = ["subject"],
        ["Group"] = ["member.entity"],
        ["ImagingStudy"] = ["subject"],
        ["Immunization"] = ["patient"],
        ["ImmunizationEvaluation"] = ["patient"],
        ["ImmunizationRecommendation"] = ["patient"],
        ["Invoice"] = ["subject", "recipient"],
        ["List"] = ["subject", "source"],
        ["MeasureReport"] = ["subject"],
        ["Media"] = ["subject"],
        ["MedicationAdministration"] = ["subject", "performer.actor"],
        ["MedicationDispense"] = ["subject", "receiver"],
        ["MedicationRequest"] = ["subject"],
        ["MedicationStatement"] = ["subject"],
        ["MolecularSequence"] = ["patient"],
        ["NutritionOrder"] = ["patient"],
        ["Observation"] = ["subject", "performer"],
        ["Patient"] = ["link.other"],
        ["Person"] = ["link.target"],
        ["Procedure"] = ["subject", "performer.actor"],
        ["Provenance"] = ["target"],
        ["QuestionnaireResponse"] = ["subject", "author"],
        ["RelatedPerson"] = ["patient"],
        ["RequestGroup"] = ["subject", "action.participant"],
        ["ResearchSubject"] = ["individual"],
        ["RiskAssessment"] = ["subject"],
        ["Schedule"] = ["actor"],
        ["ServiceRequest"] = ["subject", "performer"],
        ["Specimen"] = ["subject"],
        ["SupplyDelivery"] = ["patient"],
        ["SupplyRequest"] = ["deliverTo"],
        ["VisionPrescription"] = ["patient"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The element paths ("subject", "participant.actor") that link <paramref name="resourceType"/> to a patient; empty when the type is not in the compartment.</summary>
    public static IReadOnlyList<string> PathsFor(string resourceType) => s_paths.TryGetValue(resourceType, out var paths) ? paths : [];

    /// <summary>True when resources of this type can belong to a patient's compartment.</summary>
    public static bool Contains(string resourceType) => resourceType == "Patient" || s_paths.ContainsKey(resourceType);
}
