namespace Fhirhouse.Lake.Tables;

/// <summary>
/// The rule every table derived from bronze follows (the views, <c>fhir_current</c>, the gold tables): each commit
/// records the bronze version it reflects as a Delta transaction under <see cref="BronzeAppId"/>, and each row derived
/// from a resource carries the resource's <c>Type/id</c> in <see cref="ResourceKeyColumn"/>.
/// </summary>
public static class DerivedTable
{
    /// <summary>The application id of the Delta transactions that record the bronze version a table reflects.</summary>
    public const string BronzeAppId = "bronze";

    /// <summary>The column holding "Type/id" of the resource a row came from.</summary>
    public const string ResourceKeyColumn = "_resource_key";
}
