using Fhirhouse.Delta.Schema;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Views;

/// <summary>
/// The Delta schema of a view table: the view's columns in order (text for string, date, dateTime and time; long for
/// integers; boolean; double for decimals, each followed by <c>NAME_text</c>, the decimal's exact text; arrays for
/// collections) followed by <c>_resource_key</c>.
/// </summary>
internal static class ViewSchema
{
    /// <summary>The suffix of the column beside a decimal column that keeps each value's exact text.</summary>
    public const string DecimalTextSuffix = "_text";

    /// <exception cref="ArgumentException">The exact-text column of a decimal column has the name of another column.</exception>
    public static StructType Of(ViewDefinition view)
    {
        var fields = new List<StructField>();
        var names = view.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var column in view.Columns)
        {
            fields.Add(new StructField(column.Name, Shape(column, TypeOf(column.Type))));
            if (column.Type == ViewColumnType.Decimal)
            {
                var text = column.Name + DecimalTextSuffix;
                if (names.Contains(text) || string.Equals(text, DerivedTable.ResourceKeyColumn, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"View '{view.Name}': the decimal column '{column.Name}' is stored with its exact text in '{text}', which is also a column of the view; rename one of them.",
                        nameof(view));
                }

                fields.Add(new StructField(text, Shape(column, PrimitiveType.String)));
            }
        }

        fields.Add(new StructField(DerivedTable.ResourceKeyColumn, PrimitiveType.String, Nullable: false));
        return new StructType(fields);
    }

    private static DeltaType Shape(ViewColumn column, PrimitiveType type) => column.Collection ? new ArrayType(type) : type;

    private static PrimitiveType TypeOf(ViewColumnType type) => type switch
    {
        ViewColumnType.Integer => PrimitiveType.Long,
        ViewColumnType.Decimal => PrimitiveType.Double,
        ViewColumnType.Boolean => PrimitiveType.Boolean,
        _ => PrimitiveType.String,
    };
}
