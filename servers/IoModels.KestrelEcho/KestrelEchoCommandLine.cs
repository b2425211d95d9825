using IoModels.Protocol.CommandLine;

namespace IoModels.KestrelEcho;

/// <summary>
/// The server command line (docs/server.md) without <c>--model</c> and <c>--transport</c>: exactly the options of
/// <see cref="TcpServerCommandLine"/>, the reader the server host uses too, so both take the same options the same way.
/// </summary>
internal static class KestrelEchoCommandLine
{
    public static string Usage { get; } = "usage: IoModels.KestrelEcho [options]" + Environment.NewLine + Environment.NewLine + TcpServerCommandLine.Usage;

    /// <summary>Null when help was asked for.</summary>
    public static TcpServerSettings? Parse(IReadOnlyList<string> args)
    {
        var reader = OptionReader.Parse(args, TcpServerCommandLine.Options, TcpServerCommandLine.Switches);
        return reader.HelpRequested ? null : TcpServerCommandLine.Read(reader);
    }
}
