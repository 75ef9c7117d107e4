namespace Fhirhouse.Synthetic.Catalog;

/// <summary>A town with its postal code prefix, district and country (ISO 3166 alpha-2).</summary>
public sealed record Place(string City, string PostalCode, string District, string Country);
