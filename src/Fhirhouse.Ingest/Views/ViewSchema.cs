using System.Globalization;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Ingest.Views;

/// <summary>
/// The Delta schema of a view table: the view's columns in order (text for string, date, dateTime and time; long for
/// integers; double for decimals; boolean; arrays for collections) followed by <c>_resource_key</c>.
/// </summary>
internal static class ViewSchema
{
    public static StructType Of(ViewDefinition view) => new(
    [
        .. view.Columns.Select(c => new StructField(c.Name, c.Collection ? new ArrayType(TypeOf(c.Type)) : TypeOf(c.Type))),
        new StructField(ViewTables.ResourceKeyColumn, PrimitiveType.String, Nullable: false),
    ]);

    private static PrimitiveType TypeOf(ViewColumnType type) => type switch
    {
        ViewColumnType.Integer => PrimitiveType.Long,
        ViewColumnType.Decimal => PrimitiveType.Double,
        ViewColumnType.Boolean => PrimitiveType.Boolean,
        _ => PrimitiveType.String,
    };

    /// <summary>A value as the column's Delta type; a value whose JSON does not fit the declared type becomes null (integers, decimals, booleans) or its text.</summary>
    public static object? Coerce(object? value, ViewColumnType type) => value switch
    {
        null => null,
        object?[] items => items.Select(i => Coerce(i, type)).ToArray(),
        _ => type switch
        {
            ViewColumnType.Integer => value switch
            {
                long l => l,
                decimal d when decimal.Truncate(d) == d && d is >= long.MinValue and <= long.MaxValue => (long)d,
                _ => null,
            },
            ViewColumnType.Decimal => value switch
            {
                decimal d => (double)d,
                long l => (double)l,
                _ => null,
            },
            ViewColumnType.Boolean => value as bool?,
            _ => value switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            },
        },
    };
}
