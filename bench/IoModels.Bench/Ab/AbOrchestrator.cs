using System.Diagnostics;
using System.Globalization;

namespace IoModels.Bench.Ab;

/// <summary>
/// Runs every cell on both sides in interleaved rounds. Round r runs A then B when r is even and B then A when it is odd
/// (A B B A A B ...), so a drift of the machine during the run (warming, throttling, another process starting) falls on
/// both sides alike instead of always favouring the side that runs second.
/// </summary>
public sealed class AbOrchestrator(IAbCellRunner runner, AbStatisticsOptions options, TextWriter progress)
{
    private readonly IAbCellRunner _runner = runner;
    private readonly AbStatisticsOptions _options = options;
    private readonly TextWriter _progress = progress;

    public async Task<IReadOnlyList<AbCellResult>> RunAsync(AbPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Rounds < 1)
        {
            throw new AbUsageException($"--rounds must be at least 1 (got {plan.Rounds})");
        }

        var modelsA = (await _runner.ListModelsAsync(AbSide.A, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var modelsB = (await _runner.ListModelsAsync(AbSide.B, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var models = plan.Models is { Count: > 0 } ? plan.Models : [.. modelsA.Union(modelsB).Order(StringComparer.Ordinal)];
        foreach (var model in models.Where(m => !modelsA.Contains(m) && !modelsB.Contains(m)))
        {
            throw new AbUsageException($"unknown model '{model}': neither build offers it (A: {string.Join(", ", modelsA.Order())}; B: {string.Join(", ", modelsB.Order())})");
        }

        var cells = models.SelectMany(model => plan.Scenarios.Select(scenario => (model, scenario))).ToList();
        var pairedCells = cells.Count(cell => modelsA.Contains(cell.model) && modelsB.Contains(cell.model));
        if (pairedCells == 0)
        {
            // A gate that compared nothing must not pass: an empty catalog (a server that did not answer --help) or a
            // model list that only one side offers would otherwise print an empty table and exit 0.
            throw new AbUsageException(
                $"nothing to compare: no model of {string.Join(", ", models)} is offered by both builds (A: {Describe(modelsA)}; B: {Describe(modelsB)}) in {string.Join(", ", plan.Scenarios)}");
        }

        var fewestRounds = AbCellComparer.FewestUsefulRounds(pairedCells, _options);
        if (plan.Rounds < fewestRounds)
        {
            // Alpha is shared by every cell the run compares: with many cells and few rounds no change could be
            // significant, and the gate would pass blind.
            throw new AbUsageException(
                $"--rounds {plan.Rounds} is too few for {pairedCells} cells: alpha {_options.Alpha} shared by {pairedCells} cells of two metrics needs at least {fewestRounds} rounds for any change to be significant");
        }

        var totalRuns = pairedCells * plan.Rounds * 2;
        var doneRuns = 0;
        var clock = Stopwatch.StartNew();
        var results = new List<AbCellResult>(cells.Count);
        for (var c = 0; c < cells.Count; c++)
        {
            var (model, scenario) = cells[c];
            if (!modelsA.Contains(model) || !modelsB.Contains(model))
            {
                var present = modelsB.Contains(model) ? AbSide.B : AbSide.A;
                results.Add(AbCellComparer.OneSided(model, scenario, present));
                Report($"[{c + 1}/{cells.Count}] {model} / {scenario}: {(present == AbSide.B ? "new" : "removed")}, not run");
                continue;
            }

            var a = new List<AbSample>(plan.Rounds);
            var b = new List<AbSample>(plan.Rounds);
            for (var round = 0; round < plan.Rounds; round++)
            {
                foreach (var side in OrderOf(round))
                {
                    var sample = await _runner.RunAsync(side, model, scenario, cancellationToken).ConfigureAwait(false);
                    if (!sample.Succeeded)
                    {
                        // On a loaded machine a server starved of its core now and then serves nothing for a whole
                        // cell (stalled). A run is tried once more before it fails the cell: a fault of the build
                        // itself fails the second time too.
                        Report($"[{c + 1}/{cells.Count}] {model} / {scenario} round {round + 1}/{plan.Rounds} {side}: {Describe(sample)}; run once more");
                        sample = await _runner.RunAsync(side, model, scenario, cancellationToken).ConfigureAwait(false);
                    }

                    (side == AbSide.A ? a : b).Add(sample);
                    doneRuns++;
                    Report($"[{c + 1}/{cells.Count}] {model} / {scenario} round {round + 1}/{plan.Rounds} {side}: {Describe(sample)}, {Eta(clock.Elapsed, doneRuns, totalRuns)}");
                }
            }

            results.Add(AbCellComparer.Compare(model, scenario, a, b, _options, pairedCells));
        }

        return results;
    }

    /// <summary>The sides in the order round <paramref name="round"/> runs them.</summary>
    public static AbSide[] OrderOf(int round) => round % 2 == 0 ? [AbSide.A, AbSide.B] : [AbSide.B, AbSide.A];

    private static string Describe(AbSample sample) => sample.Succeeded
        ? sample.MessagesPerSecond.ToString("N0", CultureInfo.InvariantCulture) + " msg/s"
        : "failed: " + sample.Failure;

    private static string Describe(IEnumerable<string> models) =>
        models.Any() ? string.Join(", ", models.Order(StringComparer.Ordinal)) : "none";

    private static string Eta(TimeSpan elapsed, int done, int total)
    {
        var left = TimeSpan.FromTicks(elapsed.Ticks / done * (total - done));
        return $"about {(int)left.TotalMinutes}m{left.Seconds:00}s left";
    }

    private void Report(string line) => _progress.WriteLine(line);
}
