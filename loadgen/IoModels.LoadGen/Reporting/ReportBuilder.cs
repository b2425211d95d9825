using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Monitoring;
using IoModels.LoadGen.Options;

namespace IoModels.LoadGen.Reporting;

/// <summary>Turns a finished run's merged counts into the report of docs/report.md.</summary>
public static class ReportBuilder
{
    /// <summary>An open loop that reaches less than this share of the requested rate did not keep up.</summary>
    public const double SustainedRateShare = 0.95;

    public static LoadReport Build(
        LoadOptions options,
        WorkerStats stats,
        RunTimeline timeline,
        long ticksPerSecond,
        long peakOpen,
        int idleConnections,
        long idleClosedByPeer,
        ServerSampler? sampler,
        ClientCost cost,
        SocketCensus socketStates,
        UdpKernelWatch? kernel,
        EnvironmentReport environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(socketStates);
        double duration = Math.Max(0, (timeline.MeasureEndTicks - timeline.MeasureStartTicks) / (double)ticksPerSecond);
        long messages = stats.MessagesMeasured;
        double messagesPerSecond = duration > 0 ? messages / duration : 0;
        var mismatch = stats.FirstMismatch;
        var connections = new ConnectionsReport
        {
            Attempted = stats.Attempted,
            Established = stats.Established,
            Failed = stats.Failed,
            FailedByReason = new SortedDictionary<string, long>(stats.FailedByReason, StringComparer.Ordinal),
            PeakOpen = peakOpen,
            ClosedByPeer = stats.ClosedByPeer,
            ClosedByClient = stats.ClosedByClient,
            Idle = idleConnections,
            IdleClosedByPeer = idleClosedByPeer,
        };
        var errors = new ErrorsReport
        {
            Mismatches = stats.Mismatches,
            Timeouts = stats.Timeouts,
            Resets = stats.Resets,
            Other = stats.OtherErrors,
            LostInFlight = stats.LostInFlight,
        };
        var mismatchReport = mismatch is null ? null : new MismatchReport
        {
            ConnectionId = mismatch.ConnectionId,
            Sequence = mismatch.Sequence,
            FirstBadOffset = mismatch.FirstBadOffset,
            MessageOffset = mismatch.MessageOffset,
            Expected = mismatch.Expected,
            Actual = mismatch.Actual,
            Reason = mismatch.Reason,
        };
        var udp = options.Transport == Transport.Udp ? Udp(options, stats.Udp, kernel) : null;
        var verdict = RunVerdict.Judge(messages, duration, connections, errors, mismatchReport, udp);
        return new LoadReport
        {
            Label = options.Label,
            Target = options.Target,
            Config = Config(options),
            DurationSeconds = Math.Round(duration, 6),
            Messages = messages,
            Bytes = stats.BytesMeasured,
            Throughput = new ThroughputReport
            {
                MessagesPerSecond = Math.Round(messagesPerSecond, 1),
                BytesPerSecond = Math.Round(duration > 0 ? stats.BytesMeasured / duration : 0, 1),
                RequestedMessagesPerSecond = options.Rate,
                RateSustained = options.Rate is double rate ? messagesPerSecond >= rate * SustainedRateShare : null,
            },
            LatencyMicros = LatencyReport.From(stats.Latency.Corrected, stats.Latency.CorrectedSumMicros),
            UncorrectedLatencyMicros = options.IsOpenLoop ? LatencyReport.From(stats.Latency.Uncorrected, stats.Latency.UncorrectedSumMicros) : null,
            ConnectMicros = LatencyReport.From(stats.ConnectMicros, stats.ConnectSumMicros),
            Connections = connections,
            Errors = errors,
            Mismatch = mismatchReport,
            Server = sampler is null ? null : new ServerReport
            {
                Pid = sampler.Pid,
                CpuSeconds = Math.Round(sampler.CpuSeconds, 2),
                CpuSecondsPerMillionMessages = messages > 0 && sampler.HasReadings ? Math.Round(sampler.CpuSeconds * 1_000_000 / messages, 3) : null,
                PeakRssBytes = sampler.PeakRssBytes,
                RssBytesAtEnd = sampler.LastRssBytes,
                LifetimePeakRssBytes = sampler.LifetimePeakRssBytes,
                Threads = sampler.PeakThreads,
            },
            Client = new ClientReport
            {
                CpuSeconds = Math.Round(cost.CpuSeconds, 2),
                CpuSecondsPerMillionMessages = messages > 0 ? Math.Round(cost.CpuSeconds * 1_000_000 / messages, 3) : null,
                AllocatedBytes = cost.AllocatedBytes,
                Gen0Collections = cost.Gen0Collections,
            },
            SocketStates = new SocketStatesReport { Port = options.EndPoint.Port, Counts = socketStates.All, Server = socketStates.Server, Client = socketStates.Client },
            Udp = udp,
            Environment = environment,
            ExitCode = verdict.ExitCode,
            Verdict = verdict.Keyword,
            VerdictReason = verdict.Reason,
        };
    }

    private static RunConfig Config(LoadOptions options) => new()
    {
        Connections = options.Connections,
        DurationSeconds = options.Duration.TotalSeconds,
        WarmupSeconds = options.Warmup.TotalSeconds,
        Transport = options.Transport == Transport.Udp ? "udp" : "tcp",
        Payload = options.Payload.ToString(),
        Framing = options.Transport == Transport.Udp ? "datagram" : options.Framing.ToString().ToLowerInvariant(),
        Rate = options.Rate,
        LoadShape = options.IsOpenLoop ? "open-loop" : "closed-loop",
        Pipeline = options.Pipeline,
        ConnectMode = options.ConnectMode == ConnectMode.PerRequest ? "per-request" : "persistent",
        IdleConnections = options.IdleConnections,
        IdlePartial = options.IdlePartial,
        ConnectRate = options.ConnectRate,
        NoDelay = options.NoDelay,
        SplitWrites = options.SplitWrites,
        ServerPid = options.ServerPid,
        Threads = options.Threads,
        ConnectTimeoutSeconds = options.ConnectTimeout.TotalSeconds,
        TimeoutSeconds = options.Timeout.TotalSeconds,
        UdpReceiveBufferBytes = options.Transport == Transport.Udp ? options.UdpReceiveBuffer : null,
    };

    private static UdpReport Udp(LoadOptions options, UdpStats udp, UdpKernelWatch? kernel) => new()
    {
        Sent = udp.Sent,
        Received = udp.Received,
        Lost = udp.Lost,
        Late = udp.Late,
        Duplicated = udp.Duplicated,
        Reordered = udp.Reordered,
        Truncated = udp.Truncated,
        Corrupted = udp.Corrupted,
        ClientTruncated = udp.ClientTruncated,
        Refused = udp.Refused,
        LossPercent = udp.Sent > 0 ? Math.Round(100.0 * udp.Lost / udp.Sent, 4) : 0,
        JitterMicros = udp.JitterFlows > 0 ? Math.Round(udp.JitterSumMicros / udp.JitterFlows, 1) : 0,
        ReceiveBufferBytes = options.UdpReceiveBuffer,
        Kernel = kernel is { Before: { } before, After: { } after } ? new UdpKernelReport { Before = before, After = after, Delta = after - before } : null,
    };
}
