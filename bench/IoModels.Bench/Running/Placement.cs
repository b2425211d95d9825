using System.Globalization;

namespace IoModels.Bench.Running;

/// <summary>
/// The CPUs the server and the load generator are pinned to with <c>taskset</c>. On a 2-core VM whether
/// they share a core changes one-connection latency several times over, so the choice is explicit,
/// repeatable and recorded in the manifest.
/// </summary>
internal sealed record Placement(PlacementMode Mode, int? ServerCpu, int? LoadGenCpu, string Description)
{
    public static Placement Choose(PlacementMode requested, int cores, bool hasTaskset)
    {
        string note = "";
        var mode = requested;
        if (mode != PlacementMode.None && !hasTaskset)
        {
            note = " (taskset not found: fell back to none)";
            mode = PlacementMode.None;
        }

        if (mode == PlacementMode.Split && cores < 2)
        {
            note = " (1 core: split needs 2, fell back to shared)";
            mode = PlacementMode.Shared;
        }

        return mode switch
        {
            PlacementMode.Split => new(mode, 0, 1, "server on CPU 0, load generator on CPU 1 (taskset)" + note),
            PlacementMode.Shared => new(mode, 0, 0, "server and load generator both on CPU 0 (taskset)" + note),
            _ => new(mode, null, null, "no pinning: the scheduler places both processes" + note),
        };
    }

    public IReadOnlyList<string> PinServer(IReadOnlyList<string> command) => Pin(command, ServerCpu);

    public IReadOnlyList<string> PinLoadGen(IReadOnlyList<string> command) => Pin(command, LoadGenCpu);

    public PlacementRecord ToRecord() => new(
        Mode.ToString().ToLowerInvariant(),
        ServerCpu?.ToString(CultureInfo.InvariantCulture) ?? "any",
        LoadGenCpu?.ToString(CultureInfo.InvariantCulture) ?? "any",
        Description);

    // taskset execs the command, so the pid the runner sees is the server's own (what --server-pid samples).
    private static IReadOnlyList<string> Pin(IReadOnlyList<string> command, int? cpu) =>
        cpu is int core ? ["taskset", "-c", core.ToString(CultureInfo.InvariantCulture), .. command] : command;
}
