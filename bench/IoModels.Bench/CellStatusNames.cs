namespace IoModels.Bench;

/// <summary>The words the runner writes for each <see cref="CellStatus"/>, and what each means for CI.</summary>
internal static class CellStatusNames
{
    private static readonly Dictionary<string, CellStatus> s_byName = new(StringComparer.Ordinal)
    {
        ["ok"] = CellStatus.Ok,
        ["mismatch"] = CellStatus.Mismatch,
        ["crashed"] = CellStatus.Crashed,
        ["failed-to-start"] = CellStatus.FailedToStart,
        ["stalled"] = CellStatus.Stalled,
        ["stop-timeout"] = CellStatus.StopTimeout,
        ["server-error"] = CellStatus.ServerError,
        ["loadgen-error"] = CellStatus.LoadgenError,
        ["not-available"] = CellStatus.NotAvailable,
        ["skipped"] = CellStatus.Skipped,
        ["refused"] = CellStatus.Refused,
        ["overloaded"] = CellStatus.Overloaded,
    };

    public static IEnumerable<string> Names => s_byName.Keys;

    public static bool TryParse(string? name, out CellStatus status) => s_byName.TryGetValue(name ?? "", out status);

    public static string ToName(this CellStatus status) => s_byName.First(pair => pair.Value == status).Key;

    /// <summary>
    /// A correctness failure fails CI whatever the numbers say. A model the server does not know yet,
    /// a peer whose tool is missing, or a model refusing what its design cannot watch, is reported but is not a
    /// failure: the run still means something.
    /// </summary>
    public static bool IsFailure(this CellStatus status) => status is not (CellStatus.Ok or CellStatus.NotAvailable or CellStatus.Skipped or CellStatus.Refused or CellStatus.Overloaded);

    /// <summary>The cell's figures mean what they say: it was served in full, or in all it could (a refusal finding).</summary>
    public static bool HasFigures(this CellStatus status) => status is CellStatus.Ok or CellStatus.Refused or CellStatus.Overloaded;
}
