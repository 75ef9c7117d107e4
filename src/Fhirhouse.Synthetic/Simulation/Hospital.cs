using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Output;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The hospital itself, shared by every patient: one organisation, its clinicians and the emergency department's triage
/// chatbot (a Device, its id drawn from a stream of its own so the other ids do not change).
/// </summary>
internal sealed class Hospital
{
    private const int PractitionerCount = 24;

    public Hospital(int seed)
    {
        var rng = new Random(Seeds.For(seed, stream: 1, index: 0));
        OrganizationId = Seeds.NewId(rng);
        var practitioners = new List<(string Id, string Given, string Family, bool French, Sex Sex)>();
        for (var i = 0; i < PractitionerCount; i++)
        {
            var french = i % 3 != 2;
            var sex = rng.Chance(0.5) ? Sex.Female : Sex.Male;
            var given = french
                ? rng.Pick(sex == Sex.Female ? People.FrenchFemaleGiven : People.FrenchMaleGiven)
                : rng.Pick(sex == Sex.Female ? People.EnglishFemaleGiven : People.EnglishMaleGiven);
            var family = rng.Pick(french ? People.FrenchFamily : People.EnglishFamily);
            practitioners.Add((Seeds.NewId(rng), given, family, french, sex));
        }

        Practitioners = practitioners;
        TriageBotId = Seeds.NewId(new Random(Seeds.For(seed, stream: 5, index: 0)));
    }

    public string OrganizationId { get; }

    /// <summary>The Device that runs the pre-arrival triage chat of the emergency department.</summary>
    public string TriageBotId { get; }

    public IReadOnlyList<(string Id, string Given, string Family, bool French, Sex Sex)> Practitioners { get; }

    /// <summary>A clinician who writes in the patient's language.</summary>
    public string PractitionerFor(bool french, Random rng)
    {
        while (true)
        {
            var p = Practitioners[rng.Next(Practitioners.Count)];
            if (p.French == french)
            {
                return p.Id;
            }
        }
    }

    public void Write(ResourceBatch batch)
    {
        var w = batch.Begin("Organization", OrganizationId);
        w.WriteBoolean("active", true);
        w.WriteStartArray("type");
        w.WriteStartObject();
        FhirJson.Coding(w, "coding", new Code("http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider"));
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("name", "Hôpital Fhirhouse / Fhirhouse General Hospital");
        w.WriteStartArray("address");
        w.WriteStartObject();
        w.WriteStartArray("line");
        w.WriteStringValue("1 place de l'Hôpital");
        w.WriteEndArray();
        w.WriteString("city", "Paris");
        w.WriteString("postalCode", "75012");
        w.WriteString("country", "FR");
        w.WriteEndObject();
        w.WriteEndArray();
        batch.End();

        foreach (var p in Practitioners)
        {
            w = batch.Begin("Practitioner", p.Id);
            w.WriteBoolean("active", true);
            w.WriteStartArray("name");
            w.WriteStartObject();
            w.WriteString("family", p.Family);
            w.WriteStartArray("given");
            w.WriteStringValue(p.Given);
            w.WriteEndArray();
            w.WriteStartArray("prefix");
            w.WriteStringValue(p.French ? "Dr" : "Dr.");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("gender", p.Sex == Sex.Female ? "female" : "male");
            w.WriteStartArray("communication");
            w.WriteStartObject();
            FhirJson.Coding(w, "coding", new Code("urn:ietf:bcp:47", p.French ? "fr" : "en", p.French ? "French" : "English"));
            w.WriteEndObject();
            w.WriteEndArray();
            batch.End();
        }

        w = batch.Begin("Device", TriageBotId);
        w.WriteString("status", "active");
        w.WriteStartArray("deviceName");
        w.WriteStartObject();
        w.WriteString("name", "Assistant d'orientation des urgences / Emergency triage assistant");
        w.WriteString("type", "user-friendly-name");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("type");
        w.WriteString("text", "Triage chatbot");
        w.WriteEndObject();
        FhirJson.Reference(w, "owner", "Organization/" + OrganizationId);
        batch.End();
    }
}
