namespace Fhirhouse.Lake.Landing;

/// <summary>Checks a resource beyond its structure; returns null when valid, else the first errors as one message.</summary>
public interface IResourceValidator
{
    string? Validate(ReadOnlySpan<byte> resourceJson);
}
