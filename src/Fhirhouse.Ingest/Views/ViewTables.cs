namespace Fhirhouse.Ingest.Views;

/// <summary>Where materialised views live in the lake (silver).</summary>
public static class ViewTables
{
    /// <summary>The folder of the view tables: <c>tables/views/NAME</c>.</summary>
    public const string Folder = "tables/views/";

    /// <summary>
    /// <c>fhir_current</c>: the current version of every resource (its ordering fields and whether it is deleted), kept
    /// with the views so that a refresh knows which bronze row is current without reading bronze whole.
    /// </summary>
    public const string CurrentVersions = "tables/fhir_current";

    /// <summary>The application id of the Delta transactions that record the bronze version a table reflects.</summary>
    public const string BronzeAppId = "bronze";

    /// <summary>The column holding "Type/id" of the resource a view row came from.</summary>
    public const string ResourceKeyColumn = "_resource_key";

    public static string PathOf(string viewName) => Folder + viewName;
}
