namespace Fhirhouse.Server.Tests;

/// <summary>Reports on the caller's thread, at once (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
