namespace Fhirhouse.Cli;

/// <summary>The exit codes of every fhirhouse command (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command failed while working (I/O error, bad data, a failed check).</summary>
    public const int Failure = 1;

    /// <summary>The command line or an option value is wrong; nothing was done.</summary>
    public const int Usage = 2;
}
