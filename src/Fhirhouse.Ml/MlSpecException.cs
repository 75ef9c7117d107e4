using Fhirhouse.Errors;

namespace Fhirhouse.Ml;

/// <summary>A feature or pipeline spec that cannot be used: <see cref="Path"/> names the bad part (<c>features[2].window_days</c>).</summary>
public sealed class MlSpecException : FhirhouseException
{
    public MlSpecException(string path, string reason, Exception? innerException = null)
        : base(ErrorCodes.InvalidMlSpec, ErrorKind.Usage, path.Length == 0 ? reason : $"{path}: {reason}", innerException)
    {
        Path = path;
    }

    /// <summary>Where in the spec the problem is (empty for the whole spec).</summary>
    public string Path { get; }
}
