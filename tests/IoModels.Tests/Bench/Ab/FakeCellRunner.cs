using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

/// <summary>A cell runner that records the order of the runs it was asked for and answers with seeded synthetic rates.</summary>
internal sealed class FakeCellRunner(IReadOnlyList<string> modelsA, IReadOnlyList<string> modelsB, double rateA, double rateB, int seed = 5) : IAbCellRunner
{
    private readonly Random _random = new(seed);

    public List<(AbSide Side, string Model, string Scenario)> Runs { get; } = [];

    public Func<AbSide, string, AbSample?>? Override { get; init; }

    public IReadOnlyList<string> DefaultScenarios { get; } = ["echo"];

    public Task<IReadOnlyList<string>> ListModelsAsync(AbSide side, CancellationToken cancellationToken) =>
        Task.FromResult(side == AbSide.A ? modelsA : modelsB);

    public Task<AbSample> RunAsync(AbSide side, string model, string scenario, CancellationToken cancellationToken)
    {
        Runs.Add((side, model, scenario));
        var rate = side == AbSide.A ? rateA : rateB;
        var sample = Override?.Invoke(side, model)
            ?? new AbSample(rate * (1 + (0.03 * SyntheticRounds.Normal(_random))), 20e-6 * 100_000 / rate);
        return Task.FromResult(sample);
    }
}
