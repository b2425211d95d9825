namespace IoModels.BenchReport;

/// <summary>A scenario family of <c>run-bench.sh</c>, the claim it reproduces, and how its cells are scored.</summary>
internal sealed record ScenarioInfo(string Family, string Title, string Claim, ScoreMetric Metric)
{
    private static readonly ScenarioInfo[] s_known =
    [
        new("pingpong", "Ping-pong", "1 connection, 64 B, one message in flight: the latency floor of each model.", ScoreMetric.Throughput),
        new("throughput", "Throughput", "64 connections, 64 B, closed loop: how many echoes per second a model sustains.", ScoreMetric.Throughput),
        new("many-conns", "Many connections", "1,000 connections, 64 B, closed loop: what each model pays per connection when there are many (a thread each, a scan of every socket, or only the ready ones).", ScoreMetric.Throughput),
        new("idle-scale", "Idle scale", "16 active connections beside idle ones: select's per-call scan grows with the idle count, epoll's does not.", ScoreMetric.Throughput),
        new("short-conn", "Short connections", "A new connection per message: the price of a handshake per request, and the TIME_WAIT it leaves.", ScoreMetric.Throughput),
        new("nagle", "Nagle and delayed ACK", "Header and payload written separately: with no-delay off, Nagle waits for the peer's delayed ACK.", ScoreMetric.Throughput),
        new("large", "Large messages", "64 KiB messages: bandwidth rather than per-message cost.", ScoreMetric.Throughput),
        new("open-loop", "Open loop", "A fixed rate at about half of each model's measured capacity: latency under realistic load, coordinated omission corrected.", ScoreMetric.P99Latency),
    ];

    /// <summary>The order families appear in the summary.</summary>
    public int Order => Array.FindIndex(s_known, known => known.Family == Family) is int index and >= 0 ? index : s_known.Length;

    public static ScenarioInfo For(string family) =>
        Array.Find(s_known, known => known.Family == family) ?? new(family, family, "", ScoreMetric.Throughput);
}
