using Fhirhouse.Errors;

namespace Fhirhouse.Delta;

/// <summary>
/// No Delta table at <see cref="TablePath"/> (no <c>_delta_log</c> commit or checkpoint there): a usage error, the
/// table named does not exist.
/// </summary>
public sealed class DeltaTableNotFoundException : FhirhouseException
{
    public DeltaTableNotFoundException(string tablePath)
        : base(ErrorCodes.TableNotFound, ErrorKind.Usage, $"No Delta table at '{tablePath}': '{tablePath}/_delta_log/' holds no commit or checkpoint.") => TablePath = tablePath;

    public string TablePath { get; }
}
