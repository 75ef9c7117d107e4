namespace Fhirhouse.Views;

/// <summary>How far a views build is: current resources evaluated so far, of those to evaluate (reported per piece of bronze).</summary>
public sealed record ViewBuildProgress(long Evaluated, long Total);
