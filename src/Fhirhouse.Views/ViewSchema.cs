using Fhirhouse.Delta.Schema;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Views;

/// <summary>
/// The Delta schema of a view table: the view's columns in order (text for string, date, dateTime and time; long for
/// integers; double for decimals; boolean; arrays for collections) followed by <c>_resource_key</c>.
/// </summary>
internal static class ViewSchema
{
    public static StructType Of(ViewDefinition view) => new(
    [
        .. view.Columns.Select(c => new StructField(c.Name, c.Collection ? new ArrayType(TypeOf(c.Type)) : TypeOf(c.Type))),
        new StructField(DerivedTable.ResourceKeyColumn, PrimitiveType.String, Nullable: false),
    ]);

    private static PrimitiveType TypeOf(ViewColumnType type) => type switch
    {
        ViewColumnType.Integer => PrimitiveType.Long,
        ViewColumnType.Decimal => PrimitiveType.Double,
        ViewColumnType.Boolean => PrimitiveType.Boolean,
        _ => PrimitiveType.String,
    };
}
