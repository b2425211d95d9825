namespace IoModels.Bench.Ab;

/// <summary>One ab invocation: the checkout holding this tree, the ref to compare it with, the plan, the statistics and where the results go.</summary>
public sealed record AbRequest(string Repository, string Ref, AbPlan Plan, AbStatisticsOptions Options, string OutputDirectory);
