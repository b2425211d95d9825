namespace IoModels.Bench.Ab;

/// <summary>
/// The exit code of ab: 1 when a cell of this tree is slower (significant and beyond the threshold) or failed, 0 otherwise.
/// New and removed models and a baseline that failed are reported, never a failure of this tree.
/// </summary>
public static class AbGate
{
    public const int Passed = 0;
    public const int Regressed = 1;
    public const int Usage = 2;

    public static int ExitCode(IEnumerable<AbCellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Any(r => r.Verdict is AbVerdict.Slower or AbVerdict.Failed) ? Regressed : Passed;
    }
}
