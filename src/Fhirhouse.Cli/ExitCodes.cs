using Fhirhouse.Errors;

namespace Fhirhouse.Cli;

/// <summary>The exit codes of every fhirhouse command (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command failed while working (I/O error, bad data, a failed check, an access denial).</summary>
    public const int Failure = 1;

    /// <summary>The command line, an option value or a path it names is wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>The exit code of an error of <paramref name="kind"/>: usage is 2, anything that failed while working 1.</summary>
    public static int For(ErrorKind kind) => kind == ErrorKind.Usage ? Usage : Failure;
}
