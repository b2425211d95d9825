namespace IoModels.LoadGen.Reporting;

/// <summary>
/// The load generator's exit codes, agreed with the bench runner (loadgen/README.md has the table). When several
/// apply, the first in this order wins: <see cref="BadOption"/>, <see cref="Unreachable"/>, <see cref="Mismatch"/>,
/// <see cref="DidNotServe"/>, <see cref="ServedBadly"/>, <see cref="Ok"/>.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every echo verified; no timeout, reset or failed connect.</summary>
    public const int Ok = 0;

    /// <summary>An echoed byte differed from the byte sent.</summary>
    public const int Mismatch = 1;

    /// <summary>A command-line mistake, or the report file could not be written.</summary>
    public const int BadOption = 2;

    /// <summary>The probe before the run could not connect: nothing listens, or nothing answers.</summary>
    public const int Unreachable = 3;

    /// <summary>Not one echo was verified in the measured phase.</summary>
    public const int DidNotServe = 4;

    /// <summary>Some echoes were verified, but others timed out, were lost to a reset or a close, or connects failed.</summary>
    public const int ServedBadly = 5;
}
