namespace IoModels.Bench.Ab;

/// <summary>Which build a run belongs to: A is the ref named on the command line (the baseline), B is this tree.</summary>
public enum AbSide
{
    A,
    B,
}
