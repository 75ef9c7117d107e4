namespace Fhirhouse.Errors;

/// <summary>
/// The root of every Fhirhouse error: a stable, machine-readable <see cref="Code"/> (<c>room.what</c>, listed in
/// <see cref="ErrorCodes"/>), its <see cref="Kind"/>, and whether trying again may succeed (<see cref="IsTransient"/>).
/// The message names files, lines, tables, keys or job ids, never resource content. Hosts map errors to exit codes and
/// HTTP statuses from <see cref="Kind"/> and <see cref="IsTransient"/> in one place each.
/// </summary>
public class FhirhouseException : Exception
{
    /// <summary>Creates an error with the given code and kind.</summary>
    public FhirhouseException(string code, ErrorKind kind, string message, Exception? innerException = null, bool isTransient = false)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Kind = kind;
        IsTransient = isTransient;
    }

    /// <summary>The stable code of this error, such as <c>delta.commit_conflict</c>; see <see cref="ErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>Usage, data, I/O or access denied.</summary>
    public ErrorKind Kind { get; }

    /// <summary>True when the same operation may succeed if tried again (a conflict, a busy or unreachable server).</summary>
    public bool IsTransient { get; }

    /// <summary>A usage error: <paramref name="path"/> (named as <paramref name="what"/>, e.g. "lake folder") does not exist.</summary>
    public static FhirhouseException PathNotFound(string path, string what) =>
        new(ErrorCodes.PathNotFound, ErrorKind.Usage, $"The {what} {path} does not exist.");
}
