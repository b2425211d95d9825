using System.Net;
using IoModels.Protocol;
using IoModels.Protocol.CommandLine;
using IoModels.Server.Models;
using IoModels.Server.Models.Udp;

namespace IoModels.Server;

/// <summary>The command line of docs/server.md, turned into <see cref="ServerOptions"/> or a <see cref="UsageException"/>.</summary>
internal static class ServerCommandLine
{
    private const string UsageTemplate = """
        usage: IoModels.Server --model MODEL [options]

          --model MODEL       MODELS
          --address IP        address to bind (default 127.0.0.1)
          --port N            0-65535; 0 picks a free port (default 7007)
          --transport T       tcp or udp (default tcp); udp models: UDPMODELS
          --framing F         framed or raw (default framed); udp takes only the default
          --max-frame BYTES   largest accepted payload (default 1048576)
          --no-delay BOOL     TCP_NODELAY on accepted sockets (default true)
          --backlog N         listen backlog (default 1024)
        """;

    public static string Usage => UsageTemplate.Replace("UDPMODELS", string.Join(", ", UdpModelCatalog.Names), StringComparison.Ordinal).Replace("MODELS", string.Join(", ", ServerModelCatalog.Names), StringComparison.Ordinal);

    private static readonly string[] s_options = ["--model", "--address", "--port", "--transport", "--framing", "--max-frame", "--no-delay", "--backlog"];
    private static readonly string[] s_switches = ["--no-delay"];
    private static readonly string[] s_framings = ["framed", "raw"];
    private static readonly string[] s_transports = ["tcp", "udp"];

    /// <summary>Null when help was asked for.</summary>
    public static ServerOptions? Parse(IReadOnlyList<string> args)
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

        var options = new ServerOptions
        {
            Model = reader.GetChoice("--model", null, ServerModelCatalog.Names),
            Address = address,
            Port = reader.GetInt32("--port", 7007, 0, 65535),
            Framing = reader.GetChoice("--framing", "framed", s_framings) == "raw" ? Framing.Raw : Framing.Framed,
            MaxFrame = reader.GetInt32("--max-frame", FrameHeader.DefaultMaxFrame, 0, 1 << 30),
            NoDelay = reader.GetBoolean("--no-delay", true),
            Backlog = reader.GetInt32("--backlog", 1024, 1, 65535),
            Transport = reader.GetChoice("--transport", "tcp", s_transports),
        };
        if (options.Transport == "udp" && UdpModelCatalog.Validate(options) is string problem)
        {
            throw new UsageException(problem);
        }

        return options;
    }
}
