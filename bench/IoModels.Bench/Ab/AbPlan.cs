namespace IoModels.Bench.Ab;

/// <summary>What to compare: the models (null: every model either side offers), the scenarios and the rounds per cell.</summary>
public sealed record AbPlan(IReadOnlyList<string>? Models, IReadOnlyList<string> Scenarios, int Rounds);
