namespace Fhirhouse.Fhir.Views;

/// <summary>The SQL type a view column materialises to, derived from the FHIR type the column declares.</summary>
public enum ViewColumnType
{
    /// <summary>Text: string, code, id, uri, url, canonical, oid, uuid, markdown, base64Binary, and undeclared types.</summary>
    String,

    /// <summary>A 64-bit integer: integer, positiveInt, unsignedInt, integer64.</summary>
    Integer,

    /// <summary>A decimal number.</summary>
    Decimal,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A date, as written in FHIR (YYYY, YYYY-MM or YYYY-MM-DD).</summary>
    Date,

    /// <summary>A dateTime or instant, as written in FHIR (with its own precision and offset).</summary>
    DateTime,

    /// <summary>A time of day (hh:mm:ss).</summary>
    Time,
}
