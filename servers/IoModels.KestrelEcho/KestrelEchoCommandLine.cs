using System.Net;
using IoModels.Protocol;
using IoModels.Protocol.CommandLine;

namespace IoModels.KestrelEcho;

/// <summary>The server command line (docs/server.md) without <c>--model</c>, turned into <see cref="KestrelEchoOptions"/> or a <see cref="UsageException"/>.</summary>
internal static class KestrelEchoCommandLine
{
    public const string Usage = """
        usage: IoModels.KestrelEcho [options]

          --address IP        address to bind (default 127.0.0.1)
          --port N            0-65535; 0 picks a free port (default 7007)
          --framing F         framed or raw (default framed)
          --max-frame BYTES   largest accepted payload (default 1048576)
          --no-delay BOOL     TCP_NODELAY on accepted sockets (default true)
          --backlog N         listen backlog (default 1024)
        """;

    private static readonly string[] s_options = ["--address", "--port", "--framing", "--max-frame", "--no-delay", "--backlog"];
    private static readonly string[] s_switches = ["--no-delay"];
    private static readonly string[] s_framings = ["framed", "raw"];

    /// <summary>Null when help was asked for.</summary>
    public static KestrelEchoOptions? Parse(IReadOnlyList<string> args)
    {
        var reader = OptionReader.Parse(args, s_options, s_switches);
        if (reader.HelpRequested)
        {
            return null;
        }

        string addressText = reader.GetString("--address", "127.0.0.1");
        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw new UsageException($"option '--address': '{addressText}' is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)");
        }

        return new KestrelEchoOptions
        {
            Address = address,
            Port = reader.GetInt32("--port", 7007, 0, 65535),
            Framing = reader.GetChoice("--framing", "framed", s_framings) == "raw" ? Framing.Raw : Framing.Framed,
            MaxFrame = reader.GetInt32("--max-frame", FrameHeader.DefaultMaxFrame, 0, 1 << 30),
            NoDelay = reader.GetBoolean("--no-delay", true),
            Backlog = reader.GetInt32("--backlog", 1024, 1, 65535),
        };
    }
}
