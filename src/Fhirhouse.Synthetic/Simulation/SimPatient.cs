using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>Who a synthetic patient is.</summary>
internal sealed record SimPatient(
    int Index,
    string Id,
    bool French,
    Sex Sex,
    DateOnly BirthDate,
    string Given,
    string Family,
    string Street,
    Place Place,
    string Phone,
    string Mrn,
    double HeightCm)
{
    public int AgeAt(DateOnly day)
    {
        var age = day.Year - BirthDate.Year;
        return day < BirthDate.AddYears(age) ? age - 1 : age;
    }
}
