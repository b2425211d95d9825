namespace IoModels.Bench.Ab;

/// <summary>
/// The seam between the A/B statistics and the bench tool: the tool's cell runner, adapted, runs one server build on
/// one model x scenario cell and returns what its load report measured.
/// </summary>
/// <remarks>
/// The adapter the bench tool provides (created by the factory given to <see cref="AbCommand.Create"/>) must:
/// <list type="bullet">
/// <item>start the server of <see cref="AbBuilds.Server(AbSide)"/> for <c>side</c> and drive it with this tree's load
/// generator under the same placement for both sides, so the only difference between A and B is the server build;</item>
/// <item>map the load report to <see cref="AbSample"/> (messages/s, and server cpuSeconds / messages when the report
/// has a server section), and a cell status other than ok to <see cref="AbSample.Failed"/>, never an exception;</item>
/// <item>list each side's models from that build's own catalog, so a model that one side lacks is reported as new or
/// removed instead of failing.</item>
/// </list>
/// Unknown scenario names are a command-line mistake: the adapter throws <see cref="AbUsageException"/> for them.
/// </remarks>
public interface IAbCellRunner
{
    /// <summary>The scenarios compared when --scenarios is not given.</summary>
    IReadOnlyList<string> DefaultScenarios { get; }

    /// <summary>The models the server of <paramref name="side"/> offers.</summary>
    Task<IReadOnlyList<string>> ListModelsAsync(AbSide side, CancellationToken cancellationToken);

    /// <summary>Runs one cell once on the server of <paramref name="side"/>.</summary>
    Task<AbSample> RunAsync(AbSide side, string model, string scenario, CancellationToken cancellationToken);
}
