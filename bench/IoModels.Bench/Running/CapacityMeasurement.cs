namespace IoModels.Bench.Running;

/// <summary>
/// What a closed-loop capacity probe found: the model's messages per second (0 when it echoed nothing), and when it
/// measured nothing, why; <see cref="Unavailable"/> when the server refused the probe's options (a model without UDP).
/// </summary>
internal sealed record CapacityMeasurement(double MessagesPerSecond, string Problem, bool Unavailable);
