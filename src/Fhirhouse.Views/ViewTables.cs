using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Views;

/// <summary>Where materialised views live in the lake (silver): <c>tables/views/NAME</c>, named <c>views.NAME</c>.</summary>
public static class ViewTables
{
    /// <summary>The folder of the view tables.</summary>
    public const string Folder = LakeLayout.Views;

    /// <summary>
    /// <c>fhir_current</c>: the current version of every resource (its ordering fields and whether it is deleted), kept
    /// with the views so that a refresh knows which bronze row is current without reading bronze whole.
    /// </summary>
    public const string CurrentVersions = LakeLayout.Tables + "fhir_current";

    public static string PathOf(string viewName) => Folder + viewName;

    /// <summary><c>fhir_current</c> as declared to the lake: <c>silver.fhir_current</c>.</summary>
    public static LakeTableDefinition CurrentVersionsDefinition => CurrentVersionsTable.Definition;

    /// <summary>A view's table as declared to the lake: <c>views.NAME</c> in <c>tables/views/NAME</c>.</summary>
    public static LakeTableDefinition Definition(string viewName, StructType schema) => new("views." + viewName, PathOf(viewName), schema);
}
