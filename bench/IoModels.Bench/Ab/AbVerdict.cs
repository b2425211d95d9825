namespace IoModels.Bench.Ab;

/// <summary>What a cell's comparison concludes about B against A.</summary>
public enum AbVerdict
{
    /// <summary>No difference that is both significant and beyond the threshold (benchstat's "~").</summary>
    Same,
    Slower,
    Faster,

    /// <summary>The model exists in B only.</summary>
    New,

    /// <summary>The model exists in A only.</summary>
    Removed,

    /// <summary>A round of B did not complete: this tree's server broke the cell.</summary>
    Failed,

    /// <summary>A round of A did not complete while B's did: the baseline cannot be compared, and B is not to blame.</summary>
    BaselineFailed,
}

public static class AbVerdictNames
{
    public static string Name(AbVerdict verdict) => verdict switch
    {
        AbVerdict.Same => "~",
        AbVerdict.Slower => "slower",
        AbVerdict.Faster => "faster",
        AbVerdict.New => "new",
        AbVerdict.Removed => "removed",
        AbVerdict.Failed => "failed",
        AbVerdict.BaselineFailed => "baseline failed",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
