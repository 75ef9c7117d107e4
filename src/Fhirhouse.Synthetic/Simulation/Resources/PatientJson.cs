using System.Globalization;
using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>The Patient resource: MRN, name, phone, gender, birth date, address, preferred language.</summary>
internal static class PatientJson
{
    public static void Write(ResourceWriter r, DateTime lastUpdated)
    {
        var p = r.Patient;
        var w = r.Begin("Patient", p.Id, lastUpdated);
        w.WriteStartArray("identifier");
        w.WriteStartObject();
        w.WriteString("use", "usual");
        FhirJson.Concept(w, "type", null, new Code("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"));
        w.WriteString("system", "urn:fhirhouse:hospital:mrn");
        w.WriteString("value", p.Mrn);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteBoolean("active", true);
        w.WriteStartArray("name");
        w.WriteStartObject();
        w.WriteString("use", "official");
        w.WriteString("family", p.Family);
        w.WriteStartArray("given");
        w.WriteStringValue(p.Given);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("telecom");
        w.WriteStartObject();
        w.WriteString("system", "phone");
        w.WriteString("value", p.Phone);
        w.WriteString("use", "mobile");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("gender", p.Sex == Sex.Female ? "female" : "male");
        w.WriteString("birthDate", p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteStartArray("address");
        w.WriteStartObject();
        w.WriteString("use", "home");
        w.WriteStartArray("line");
        w.WriteStringValue(p.Street);
        w.WriteEndArray();
        w.WriteString("city", p.Place.City);
        w.WriteString("district", p.Place.District);
        w.WriteString("postalCode", p.Place.PostalCode);
        w.WriteString("country", p.Place.Country);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("communication");
        w.WriteStartObject();
        FhirJson.Concept(w, "language", null, new Code("urn:ietf:bcp:47", p.French ? "fr" : "en", p.French ? "French" : "English"));
        w.WriteBoolean("preferred", true);
        w.WriteEndObject();
        w.WriteEndArray();
        FhirJson.Reference(w, "managingOrganization", r.Organization);
        r.End();
    }
}
