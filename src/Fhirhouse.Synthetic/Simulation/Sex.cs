namespace Fhirhouse.Synthetic.Simulation;

internal enum Sex
{
    Female,
    Male,
}
