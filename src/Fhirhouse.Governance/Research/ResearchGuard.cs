using System.Globalization;
using Fhirhouse.Query;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Research;

/// <summary>
/// The treatment of a research export, applied where the data comes from: every lake table the export's SQL reads is
/// seen through masks that pseudonymise its identifier columns, remove its names, addresses, contacts, internals and
/// (unless kept) free text, shift its dates by the row's patient, and pseudonymise references and shift FHIR dates found
/// in its other text columns (docs/research-exports.md). Whatever the SQL then does with a column (an alias, an
/// expression, a function, a struct or a list) it does to the treated values: there is no raw value left to derive from.
/// Applied after the masks and row filter of the identity's own guard, when there is one.
/// </summary>
internal sealed class ResearchGuard(ITableAccessGuard? inner, Pseudonymizer pseudonymizer, bool keepText) : ITableAccessGuard
{
    private const string PseudonymFunction = "fhirhouse_research_pseudonym";
    private const string TextFunction = "fhirhouse_research_text";
    private const string DaysFunction = "fhirhouse_research_days";
    private readonly List<string> _removed = [];

    public ReadOnlyMemory<byte> HashKey => inner?.HashKey ?? pseudonymizer.MaskKey;

    public IReadOnlyList<GuardFunction> Functions { get; } = FunctionsOf(inner, pseudonymizer);

    /// <summary>The columns removed at the source so far, as <c>table.column</c>.</summary>
    public IReadOnlyList<string> Removed => _removed;

    public async ValueTask<TableAccess> AuthorizeAsync(TableAccessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var access = inner is null ? TableAccess.Unrestricted : await inner.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        var patient = PatientOf(request);
        var masks = new Dictionary<string, ColumnMask>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in request.Columns)
        {
            var before = access.Masks.GetValueOrDefault(column.Name);
            var treatment = ResearchColumns.Of(column.Name, keepText);
            var type = before?.Kind is ColumnMaskKind.Hash or ColumnMaskKind.Truncate ? "VARCHAR" : column.Type;
            ColumnMask? mask = treatment switch
            {
                _ when treatment == ColumnTreatment.Remove || before?.Kind == ColumnMaskKind.Redact => ColumnMask.Redact,
                ColumnTreatment.Pseudonymise => ColumnMask.Expression($"{PseudonymFunction}(CAST({ColumnMask.ValuePlaceholder} AS VARCHAR))", before),
                _ => Shifted(request.Name, column.Name, type, patient, 0) switch
                {
                    null => before,
                    "NULL" => ColumnMask.Redact,
                    var template => ColumnMask.Expression(template, before),
                },
            };
            if (mask is not null)
            {
                masks[column.Name] = mask;
            }

            var name = request.Name + "." + column.Name;
            if (mask == ColumnMask.Redact && !_removed.Contains(name, StringComparer.Ordinal))
            {
                _removed.Add(name);
            }
        }

        return new TableAccess(masks, access.RowFilter);
    }

    /// <summary>
    /// The expression that treats a kept value of DuckDB type <paramref name="type"/> (null: nothing to do; "NULL": remove
    /// it, a struct or map whose fields this cannot follow). Text: references pseudonymised, full FHIR dates shifted by the
    /// row's patient (removed when the row has none); dates and timestamps shifted (an error when used, if the table ties
    /// no row to a patient); lists element by element.
    /// </summary>
    private static string? Shifted(string table, string column, string type, string? patient, int depth)
    {
        var value = ColumnMask.ValuePlaceholder;
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            var element = Shifted(table, column, type[..^2], patient, depth + 1);
            var variable = "x" + depth.ToString(CultureInfo.InvariantCulture);
            return element switch
            {
                null => null,
                "NULL" => "NULL",
                _ => $"list_transform({value}, {variable} -> {element.Replace(value, variable, StringComparison.Ordinal)})",
            };
        }

        if (type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal))
        {
            return "NULL";
        }

        var days = patient is null ? null : $"to_days(CAST({DaysFunction}({patient}) AS INTEGER))";
        var unshiftable = $"error('Column {Sql(column)} of table {Sql(table)} holds dates, and no column of the table ties its rows to a patient (patient_id, patient, subject_id, subject, _resource_key, or id of a Patient), so they cannot be shifted: leave the column out of the export.')";
        return type switch
        {
            "VARCHAR" => $"{TextFunction}({value}, {patient ?? "NULL"})",
            "DATE" or "TIMESTAMP" or "TIMESTAMPTZ" => days is null
                ? $"CASE WHEN {value} IS NULL THEN NULL ELSE CAST({unshiftable} AS {type}) END"
                : $"CAST({value} + {days} AS {type})",
            _ => null,
        };
    }

    /// <summary>
    /// The SQL of a row's patient id over the table's raw columns: the first of <c>patient_id</c>, <c>patient</c>,
    /// <c>subject_id</c>, <c>subject</c> that is set, else a Patient's <c>_resource_key</c>, else <c>id</c> of the
    /// <c>patient</c> table or of a row whose <c>resource_type</c> is Patient; null when the table has none of these.
    /// </summary>
    private static string? PatientOf(TableAccessRequest request)
    {
        string? Column(string name) => request.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.Name is { } found
            ? "\"" + found.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : null;

        var candidates = ResearchColumns.PatientColumns.Select(Column).OfType<string>().Select(c => $"CAST({c} AS VARCHAR)").ToList();
        if (Column("_resource_key") is { } key)
        {
            candidates.Add($"CASE WHEN starts_with(CAST({key} AS VARCHAR), 'Patient/') THEN CAST({key} AS VARCHAR) END");
        }

        if (Column("id") is { } id)
        {
            if (string.Equals(request.ShortName, "patient", StringComparison.OrdinalIgnoreCase))
            {
                candidates.Add($"CAST({id} AS VARCHAR)");
            }
            else if (Column("resource_type") is { } type)
            {
                candidates.Add($"CASE WHEN {type} = 'Patient' THEN CAST({id} AS VARCHAR) END");
            }
        }

        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => "coalesce(" + string.Join(", ", candidates) + ")",
        };
    }

    private static string Sql(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    private static List<GuardFunction> FunctionsOf(ITableAccessGuard? inner, Pseudonymizer pseudonymizer)
    {
        static string? PatientId(string? value) =>
            value is null ? null : value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;

        var functions = new List<GuardFunction>(inner?.Functions ?? [])
        {
            new(PseudonymFunction, 1, (value, _) => value is null ? null : pseudonymizer.PseudonymOfReference(value)),
            new(DaysFunction, 1, (patient, _) => PatientId(patient) is { } id ? pseudonymizer.ShiftDays(id).ToString(CultureInfo.InvariantCulture) : null),
            new(TextFunction, 2, (value, patient) =>
            {
                if (value is null)
                {
                    return null;
                }

                if (Pseudonymizer.IsReference(value))
                {
                    return pseudonymizer.PseudonymOfReference(value);
                }

                if (Pseudonymizer.ShiftFhirDate(value, 0) is null)
                {
                    return value;
                }

                // A full date in a row tied to no patient cannot be shifted: it is removed.
                return PatientId(patient) is { } id ? Pseudonymizer.ShiftFhirDate(value, pseudonymizer.ShiftDays(id)) : null;
            }),
        };
        return functions;
    }
}
