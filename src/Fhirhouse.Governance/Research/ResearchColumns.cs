namespace Fhirhouse.Governance.Research;

/// <summary>How a research export treats a column, by its name (docs/research-exports.md lists the rules).</summary>
internal static class ResearchColumns
{
    private static readonly HashSet<string> s_identity = new(
        ["name", "names", "family", "given", "prefix", "suffix", "address", "line", "lines", "city", "district", "postal_code", "postalcode", "zip",
         "telecom", "phone", "email", "photo", "contact"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_text = new(
        ["text", "note", "notes", "comment", "comments", "description", "narrative", "div", "content", "data", "value_string", "conclusion", "summary"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_internal = new(["raw_key", "raw_line", "content_hash", "source", "location", "sha256"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The columns naming the patient of a row, in the order they are looked at.</summary>
    public static readonly string[] PatientColumns = ["patient_id", "patient", "subject_id", "subject"];

    public static ColumnTreatment Of(string name, bool keepText)
    {
        if (s_identity.Contains(name) || name.EndsWith("_name", StringComparison.OrdinalIgnoreCase) || name.StartsWith("address", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("telecom", StringComparison.OrdinalIgnoreCase))
        {
            return ColumnTreatment.Remove;
        }

        if (s_internal.Contains(name) || string.Equals(name, "resource", StringComparison.OrdinalIgnoreCase))
        {
            return ColumnTreatment.Remove;
        }

        if (!keepText && (s_text.Contains(name) || name.EndsWith("_text", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_note", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_comment", StringComparison.OrdinalIgnoreCase)))
        {
            return ColumnTreatment.Remove;
        }

        if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_key", StringComparison.OrdinalIgnoreCase)
            || name.Contains("identifier", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "mrn", StringComparison.OrdinalIgnoreCase)
            || PatientColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return ColumnTreatment.Pseudonymise;
        }

        return ColumnTreatment.Keep;
    }
}
