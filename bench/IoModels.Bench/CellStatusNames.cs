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
    };

    public static IEnumerable<string> Names => s_byName.Keys;

    public static bool TryParse(string? name, out CellStatus status) => s_byName.TryGetValue(name ?? "", out status);

    public static string ToName(this CellStatus status) => s_byName.First(pair => pair.Value == status).Key;

    /// <summary>
    /// A correctness failure fails CI whatever the numbers say. A model the server does not know yet,
    /// or a peer whose tool is missing, is reported but is not a failure: the run still means something.
    /// </summary>
    public static bool IsFailure(this CellStatus status) => status is not (CellStatus.Ok or CellStatus.NotAvailable or CellStatus.Skipped);
}
