namespace Fhirhouse.Governance.Erasure;

/// <summary>Where an erasure is: its zone ("raw", "jobs", "tables", "time travel", "report"), the item at hand and how far it is in that zone.</summary>
public readonly record struct ErasureProgress(string Zone, string Item, int Done, int Total);
