namespace Fhirhouse.Delta;

/// <summary>No Delta table at <see cref="TablePath"/> (no <c>_delta_log</c> commit or checkpoint there).</summary>
public sealed class DeltaTableNotFoundException : Exception
{
    public DeltaTableNotFoundException(string tablePath)
        : base($"No Delta table at '{tablePath}': '{tablePath}/_delta_log/' holds no commit or checkpoint.") => TablePath = tablePath;

    public string TablePath { get; }
}
