namespace Fhirhouse.Delta.Actions;

/// <summary>The domainMetadata action: configuration of a named domain, or its removal.</summary>
public sealed record DomainMetadata(string Domain, string Configuration, bool Removed) : DeltaAction;
