namespace Fhirhouse.Fhir.Views;

/// <summary>One column of a view's output, in output order.</summary>
/// <param name="Name">The column name, unique in the view.</param>
/// <param name="FhirType">The FHIR type the column declares (string, integer, dateTime...), or null when undeclared.</param>
/// <param name="Type">The SQL type it materialises to.</param>
/// <param name="Collection">True when each value is an array of <see cref="Type"/>.</param>
/// <param name="Description">The column description from the view, if any.</param>
/// <param name="Tags">The column tags from the view.</param>
public sealed record ViewColumn(
    string Name,
    string? FhirType,
    ViewColumnType Type,
    bool Collection,
    string? Description,
    IReadOnlyList<ViewColumnTag> Tags)
{
    /// <summary>The SQL type for a FHIR type name; unknown and undeclared types are text.</summary>
    public static ViewColumnType TypeOf(string? fhirType) => fhirType switch
    {
        "boolean" => ViewColumnType.Boolean,
        "integer" or "positiveInt" or "unsignedInt" or "integer64" => ViewColumnType.Integer,
        "decimal" => ViewColumnType.Decimal,
        "date" => ViewColumnType.Date,
        "dateTime" or "instant" => ViewColumnType.DateTime,
        "time" => ViewColumnType.Time,
        _ => ViewColumnType.String,
    };
}
