using Fhirhouse.Errors;

namespace Fhirhouse.Fhir.Views;

/// <summary>
/// A ViewDefinition that is invalid, or that fails on a resource (a column without <c>collection: true</c> returning
/// several values, a <c>where</c> that is not boolean). <see cref="Path"/> names the place in the view, such as
/// <c>select[1].column[0].path</c>. An invalid view is a usage error; a view failing on a resource is a data error.
/// </summary>
public sealed class ViewDefinitionException : FhirhouseException
{
    /// <summary>Creates the error for the given place in the view.</summary>
    public ViewDefinitionException(string path, string reason, ErrorKind kind = ErrorKind.Usage)
        : base(ErrorCodes.InvalidView, kind, path.Length == 0 ? reason : $"{path}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Creates the error for the given place in the view, caused by another error.</summary>
    public ViewDefinitionException(string path, string reason, Exception innerException, ErrorKind kind = ErrorKind.Usage)
        : base(ErrorCodes.InvalidView, kind, path.Length == 0 ? reason : $"{path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Where in the view the problem is, such as <c>select[1].column[0].path</c>; empty for the view itself.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; }
}
