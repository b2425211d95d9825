using IoModels.Protocol.CommandLine;
using IoModels.Server.Models;
using IoModels.Server.Models.Udp;

namespace IoModels.Server;

/// <summary>
/// The command line of docs/server.md, turned into <see cref="ServerOptions"/> or a <see cref="UsageException"/>: the
/// host's own <c>--model</c> and <c>--transport</c>, and the options every TCP server shares (<see cref="TcpServerCommandLine"/>).
/// </summary>
internal static class ServerCommandLine
{
    private const string UsageTemplate = """
        usage: IoModels.Server --model MODEL [options]

          --model MODEL       MODELS
          --transport T       tcp or udp (default tcp); udp models: UDPMODELS; udp takes only the default framing, no idle timeout or close-after
        """;

    public static string Usage => UsageTemplate.Replace("UDPMODELS", string.Join(", ", UdpModelCatalog.Names), StringComparison.Ordinal).Replace("MODELS", string.Join(", ", ServerModelCatalog.Names), StringComparison.Ordinal)
        + Environment.NewLine + TcpServerCommandLine.Usage;

    private static readonly string[] s_options = ["--model", "--transport", .. TcpServerCommandLine.Options];
    private static readonly string[] s_transports = ["tcp", "udp"];

    /// <summary>Null when help was asked for.</summary>
    public static ServerOptions? Parse(IReadOnlyList<string> args)
    {
        var reader = OptionReader.Parse(args, s_options, TcpServerCommandLine.Switches);
        if (reader.HelpRequested)
        {
            return null;
        }

        string model = reader.GetChoice("--model", null, ServerModelCatalog.Names);
        var shared = TcpServerCommandLine.Read(reader);
        var options = new ServerOptions
        {
            Model = model,
            Address = shared.Address,
            Port = shared.Port,
            Framing = shared.Framing,
            MaxFrame = shared.MaxFrame,
            NoDelay = shared.NoDelay,
            Backlog = shared.Backlog,
            IdleTimeout = shared.IdleTimeout,
            CloseAfter = shared.CloseAfter,
            Transport = reader.GetChoice("--transport", "tcp", s_transports),
        };
        if (options.Transport == "udp")
        {
            if (UdpModelCatalog.Validate(options) is string problem)
            {
                throw new UsageException(problem);
            }

            // Datagrams have no connection to time out or to close; an explicit request for either is a mistake.
            foreach (string connectionOption in (string[])["--idle-timeout", "--close-after"])
            {
                if (reader.Has(connectionOption))
                {
                    throw new UsageException($"option '{connectionOption}' does not apply to --transport udp (no connections)");
                }
            }
        }

        return options;
    }
}
