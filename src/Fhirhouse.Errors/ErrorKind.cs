namespace Fhirhouse.Errors;

/// <summary>What kind of failure a <see cref="FhirhouseException"/> is: what a host does with it (exit code, HTTP status).</summary>
public enum ErrorKind
{
    /// <summary>The request itself is wrong (an option, a value, a path that does not exist): nothing was done.</summary>
    Usage,

    /// <summary>Data read while working is not usable (malformed, tampered, breaks a protocol or a schema).</summary>
    Data,

    /// <summary>Storage, the network or another process failed while working.</summary>
    IO,

    /// <summary>Access control, a key service or a server refused the operation.</summary>
    AccessDenied,
}
