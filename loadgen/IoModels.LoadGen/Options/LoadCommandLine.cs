using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IoModels.Protocol;
using IoModels.Protocol.CommandLine;

namespace IoModels.LoadGen.Options;

/// <summary>Turns the command line of docs/loadgen.md into <see cref="LoadOptions"/>; a mistake is a <see cref="UsageException"/>.</summary>
public static class LoadCommandLine
{
    /// <summary>Payloads above the servers' default max-frame would be refused by them anyway.</summary>
    public const int MaxPayload = FrameHeader.DefaultMaxFrame;

    // The process may hold 20,000 descriptors; keep a margin for the runtime's own.
    private const int MaxSockets = 19_000;

    private static readonly string[] s_options =
    [
        "--target", "--label", "--connections", "--duration", "--warmup", "--payload", "--framing", "--rate",
        "--pipeline", "--connect-mode", "--idle-connections", "--idle-partial", "--connect-rate", "--no-delay", "--split-writes",
        "--server-pid", "--threads", "--connect-timeout", "--timeout", "--json", "--hgrm", "--progress",
        "--interval", "--hlog", "--start-at", "--transport", "--udp-receive-buffer",
    ];

    private static readonly string[] s_switches = ["--split-writes", "--no-delay", "--progress", "--idle-partial"];

    public static string Usage { get; } = """
        usage: IoModels.LoadGen --target HOST:PORT [options]

          --target HOST:PORT        echo server to drive (required)
          --label TEXT              name of this run in the report (default: the target)
          --transport tcp|udp       connections, or flows of datagrams (default tcp)
          --connections N           active connections, or UDP flows (default 16)
          --duration D              measured phase (default 10s); durations: 500ms, 10s, 2m or seconds
          --warmup D                load before measuring, excluded from the figures (default 2s)
          --payload N|MIN-MAX       payload bytes per message, or a range drawn per message (default 64;
                                    UDP: 8 to 65507, the flow id and sequence number come first)
          --framing framed|raw|line 4-byte length prefix, RFC 862 byte stream, or a line ending in \n
                                    (default framed; TCP only)
          --rate N                  open loop: N messages/s for the whole run, latency corrected for
                                    coordinated omission (default: closed loop)
          --pipeline N              messages (datagrams) in flight per connection (flow) (default 1)
          --connect-mode persistent|per-request
                                    keep connections, or connect-echo-close per message (default persistent; TCP)
          --idle-connections N      extra connections that never send, held open beside the load (default 0; TCP)
          --idle-partial            each idle connection sends half a message first (framed: 2 of the 4 header
                                    bytes; line: a byte and no newline), then nothing: a slowloris
          --connect-rate N          open active connections (flows) at N per second (default: all at once)
          --no-delay true|false     TCP_NODELAY (default true; TCP)
          --split-writes            send header and payload as two writes (framed TCP)
          --udp-receive-buffer N    UDP: bytes the client reads per datagram, 8 to 65536 (default 65536); below
                                    the datagram size every echo is cut (MSG_TRUNC), counted as clientTruncated
          --server-pid PID          sample that process's CPU, RSS and threads from /proc
          --threads N               worker threads driving the connections (default: half the cores, at least 1;
                                    never more than --connections)
          --connect-timeout D       give up on a connect after D (default 5s); UDP: how long the probe waits
          --timeout D               an echo not back after D is a timeout (default 5s); UDP: the datagram is lost
                                    (default 200ms)
          --json FILE               write the report (docs/report.md)
          --hgrm FILE               write the latency percentile distribution (HdrHistogram format, microseconds)
          --interval D              a record per interval D of the measured phase: in the report's intervals and
                                    an HdrHistogram interval log (--hlog, default: the --json path with .hlog)
          --hlog FILE               where --interval writes its interval log
          --start-at TIME           begin the measured phase at TIME (UTC, ISO 8601, e.g. 2026-12-01T23:50:00Z),
                                    warm-up before it, so several processes measure together
          --progress true|false     live progress line on stderr once a second (default true)

        exit codes: 0 served and verified (UDP loss and an open loop short of its rate included), 1 an echo did not
        match what was sent (UDP: a corrupted or truncated echo), 2 bad option, 3 target unreachable, 4 no echo
        verified in the measured phase, 5 echoes timed out, connections reset or connects failed (some verified)
        """;

    /// <summary>The options, or null when <c>--help</c> was asked for.</summary>
    public static LoadOptions? Parse(IReadOnlyList<string> args)
    {
        var reader = OptionReader.Parse(args, s_options, s_switches);
        if (reader.HelpRequested)
        {
            return null;
        }

        string target = reader.GetString("--target") ?? throw new UsageException("option '--target' is required (HOST:PORT, e.g. 127.0.0.1:7007)");
        var endPoint = ResolveTarget(target);
        int connections = reader.GetInt32("--connections", 16, 1, MaxSockets);
        int idle = reader.GetInt32("--idle-connections", 0, 0, MaxSockets);
        if (connections + idle > MaxSockets)
        {
            throw new UsageException($"options '--connections' and '--idle-connections' together ask for {connections + idle} sockets; at most {MaxSockets}");
        }

        var transport = reader.GetChoice("--transport", "tcp", ["tcp", "udp"]) == "udp" ? Transport.Udp : Transport.Tcp;
        var framing = reader.GetChoice("--framing", "framed", ["framed", "raw", "line"]) switch
        {
            "raw" => Framing.Raw,
            "line" => Framing.Line,
            _ => Framing.Framed,
        };
        string payloadText = reader.GetString("--payload", "64");
        var (minPayload, maxPayload) = transport == Transport.Udp ? (UdpDatagram.MinPayload, UdpDatagram.MaxPayload) : (0, MaxPayload);
        if (!PayloadSize.TryParse(payloadText, maxPayload, out var payload) || payload.Min < minPayload)
        {
            string why = transport == Transport.Udp ? "; a datagram begins with the 4-byte flow id and 4-byte sequence number" : "";
            throw new UsageException($"option '--payload': '{payloadText}' is not a byte count or MIN-MAX range from {minPayload} to {maxPayload}{why}");
        }

        if (framing == Framing.Raw && payload.Min == 0)
        {
            throw new UsageException("option '--payload': raw framing has no empty messages; give at least 1 byte");
        }

        var mode = reader.GetChoice("--connect-mode", "persistent", ["persistent", "per-request"]) == "per-request"
            ? ConnectMode.PerRequest
            : ConnectMode.Persistent;
        int pipeline = reader.GetInt32("--pipeline", 1, 1, 4096);
        if (mode == ConnectMode.PerRequest && pipeline != 1)
        {
            throw new UsageException("option '--pipeline': per-request connections carry one message each; leave --pipeline at 1");
        }

        bool idlePartial = reader.GetBoolean("--idle-partial", false);
        if (idlePartial && (idle == 0 || framing == Framing.Raw))
        {
            throw new UsageException(idle == 0
                ? "option '--idle-partial': needs idle connections (--idle-connections N above 0)"
                : "option '--idle-partial': raw framing has no message to leave half sent");
        }

        if (framing != Framing.Framed && reader.GetBoolean("--split-writes", false))
        {
            throw new UsageException($"option '--split-writes': {Name(framing)} framing has no header to split from the payload");
        }

        if (transport == Transport.Udp)
        {
            RefuseTcpOnly(reader, framing, mode, idle);
        }
        else if (reader.Has("--udp-receive-buffer"))
        {
            throw new UsageException("option '--udp-receive-buffer': applies to --transport udp only");
        }

        int? serverPid = reader.Has("--server-pid") ? reader.GetInt32("--server-pid", 0, 1, int.MaxValue) : null;
        if (serverPid is int pid && !Directory.Exists($"/proc/{pid}"))
        {
            throw new UsageException($"option '--server-pid': no process {pid} in /proc");
        }

        // Half the cores: the other half is left to the server on the same machine. One epoll worker keeps up with the
        // C client on its own (figures in loadgen/README.md); a second on a 2-core machine only takes turns with it.
        int defaultThreads = Math.Clamp(Environment.ProcessorCount / 2, 1, connections);
        return new LoadOptions
        {
            Target = target,
            EndPoint = endPoint,
            Label = reader.GetString("--label", target),
            Connections = connections,
            Duration = reader.GetDuration("--duration", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)),
            Warmup = reader.GetDuration("--warmup", TimeSpan.FromSeconds(2), TimeSpan.Zero),
            Payload = payload,
            Transport = transport,
            UdpReceiveBuffer = reader.GetInt32("--udp-receive-buffer", UdpDatagram.MaxReceiveBuffer, UdpDatagram.MinPayload, UdpDatagram.MaxReceiveBuffer),
            Framing = framing,
            Rate = GetPositive(reader, "--rate"),
            Pipeline = pipeline,
            ConnectMode = mode,
            IdleConnections = idle,
            IdlePartial = idlePartial,
            ConnectRate = GetPositive(reader, "--connect-rate"),
            NoDelay = reader.GetBoolean("--no-delay", true),
            SplitWrites = reader.GetBoolean("--split-writes", false),
            ServerPid = serverPid,
            Threads = Math.Min(reader.GetInt32("--threads", defaultThreads, 1, 256), connections),
            ConnectTimeout = reader.GetDuration("--connect-timeout", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1)),
            Timeout = reader.GetDuration("--timeout", transport == Transport.Udp ? UdpDatagram.DefaultTimeout : TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1)),
            JsonPath = reader.GetString("--json"),
            HgrmPath = reader.GetString("--hgrm"),
            Progress = reader.GetBoolean("--progress", true),
        }.WithTimeSeries(reader);
    }

    /// <summary>The options of issue 14: <c>--interval</c>, <c>--hlog</c> and <c>--start-at</c>.</summary>
    private static LoadOptions WithTimeSeries(this LoadOptions options, OptionReader reader)
    {
        TimeSpan? interval = reader.Has("--interval") ? reader.GetDuration("--interval", TimeSpan.Zero, TimeSpan.FromMilliseconds(10)) : null;
        string? hlog = reader.GetString("--hlog");
        if (hlog is not null && interval is null)
        {
            throw new UsageException("option '--hlog': the interval log needs '--interval D'");
        }

        if (interval is not null && hlog is null && options.JsonPath is { } json)
        {
            hlog = Path.ChangeExtension(json, ".hlog");
        }

        if (hlog is not null && Path.GetDirectoryName(Path.GetFullPath(hlog)) is { } folder && !Directory.Exists(folder))
        {
            throw new UsageException($"option '--hlog': folder '{folder}' does not exist");
        }

        DateTimeOffset? startAt = reader.GetString("--start-at") is { } text ? StartAtTime.Parse(text, DateTimeOffset.UtcNow) : null;
        return options with { Interval = interval, HlogPath = hlog, StartAt = startAt };
    }

    /// <summary>Options that ask for something only a TCP connection has: one line and exit 2 with UDP.</summary>
    private static void RefuseTcpOnly(OptionReader reader, Framing framing, ConnectMode mode, int idle)
    {
        string? problem =
            framing != Framing.Framed ? $"option '--framing {Name(framing)}'" :
            mode == ConnectMode.PerRequest ? "option '--connect-mode per-request'" :
            idle > 0 ? "option '--idle-connections'" :
            reader.GetBoolean("--split-writes", false) ? "option '--split-writes'" :
            !reader.GetBoolean("--no-delay", true) ? "option '--no-delay false'" :
            null;
        if (problem is not null)
        {
            throw new UsageException($"{problem} does not apply to --transport udp (each datagram is one message, and a flow has no connection to set up or tune)");
        }
    }

    private static string Name(Framing framing) => framing.ToString().ToLowerInvariant();

    private static double? GetPositive(OptionReader reader, string name)
    {
        string? text = reader.GetString(name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"option '{name}': '{text}' is not a positive number per second");
    }

    private static IPEndPoint ResolveTarget(string target)
    {
        int colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new UsageException($"option '--target': '{target}' is not HOST:PORT with a port from 1 to 65535");
        }

        string host = target[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is not null
                ? new IPEndPoint(chosen, port)
                : throw new UsageException($"option '--target': host '{host}' has no address");
        }
        catch (SocketException e)
        {
            throw new UsageException($"option '--target': cannot resolve host '{host}': {e.Message}", e);
        }
    }
}
