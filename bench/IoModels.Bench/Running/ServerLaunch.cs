namespace IoModels.Bench.Running;

/// <summary>How to start one server of the matrix: its command (the runner adds <c>--port 0</c> and the scenario's options) and its environment.</summary>
internal sealed record ServerLaunch(string Name, IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment);
