using System.Globalization;
using System.Net;

namespace IoModels.Protocol.CommandLine;

/// <summary>
/// The one reader of the options the server host and the Kestrel peer share (docs/server.md#options), so a new
/// option reaches both, with the same names, defaults, help text and errors. Each program adds its own options
/// (the host's <c>--model</c> and <c>--transport</c>) around these.
/// </summary>
public static class TcpServerCommandLine
{
    /// <summary>The option lines of <c>--help</c>, in the order of <see cref="Options"/>.</summary>
    public static readonly string Usage = string.Create(CultureInfo.InvariantCulture, $"""
          --address IP        address to bind (default 127.0.0.1)
          --port N            0-65535; 0 picks a free port (default {ServerDefaults.Port})
          --framing F         framed, line or raw (default framed)
          --max-frame BYTES   largest accepted payload or line (default {FrameHeader.DefaultMaxFrame})
          --no-delay BOOL     TCP_NODELAY on accepted sockets (default true)
          --backlog N         listen backlog (default {ServerDefaults.Backlog})
          --idle-timeout D    close a connection that completes no message and sends no echo for D; 0 never (default {DurationParser.Format(ServerDefaults.IdleTimeout)})
          --close-after N     close a connection after echoing N messages, the server closing first; 0 never (default 0; not with raw)
        """);

    public static IReadOnlyList<string> Options { get; } = ["--address", "--port", "--framing", "--max-frame", "--no-delay", "--backlog", "--idle-timeout", "--close-after"];

    public static IReadOnlyList<string> Switches { get; } = ["--no-delay"];

    /// <summary>The longest idle timeout accepted: beyond it, 0 (off) says what is meant.</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromDays(1);

    private static readonly string[] s_framings = ["framed", "line", "raw"];

    /// <summary>Reads the shared options; a bad value is a <see cref="UsageException"/>.</summary>
    public static TcpServerSettings Read(OptionReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string addressText = reader.GetString("--address", "127.0.0.1");
        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw new UsageException($"option '--address': '{addressText}' is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)");
        }

        var framing = reader.GetChoice("--framing", "framed", s_framings) switch
        {
            "raw" => Framing.Raw,
            "line" => Framing.Line,
            _ => Framing.Framed,
        };
        int closeAfter = reader.GetInt32("--close-after", 0, 0, int.MaxValue);
        if (closeAfter > 0 && framing == Framing.Raw)
        {
            throw new UsageException("option '--close-after' counts messages, and --framing raw has none; use --framing framed or line");
        }

        var idleTimeout = reader.GetDuration("--idle-timeout", ServerDefaults.IdleTimeout, TimeSpan.Zero);
        if (idleTimeout > MaxIdleTimeout)
        {
            throw new UsageException($"option '--idle-timeout': '{reader.GetString("--idle-timeout")}' is longer than 24h; use 0 to turn it off");
        }

        return new TcpServerSettings
        {
            Address = address,
            Port = reader.GetInt32("--port", ServerDefaults.Port, 0, 65535),
            Framing = framing,
            MaxFrame = reader.GetInt32("--max-frame", FrameHeader.DefaultMaxFrame, 0, 1 << 30),
            NoDelay = reader.GetBoolean("--no-delay", true),
            Backlog = reader.GetInt32("--backlog", ServerDefaults.Backlog, 1, 65535),
            IdleTimeout = idleTimeout,
            CloseAfter = closeAfter,
        };
    }
}
