namespace IoModels.Server.Models.Udp;

/// <summary>The models that serve <c>--transport udp</c>, where the I/O model still means something for datagrams.</summary>
public static class UdpModelCatalog
{
    private static readonly (string Name, Func<ServerContext, IUdpServerModel> Create)[] s_models =
    [
        ("blocking", context => new UdpBlockingServer(context)),
        ("epoll-lt", context => new UdpEpollServer(context, edgeTriggered: false)),
        ("epoll-et", context => new UdpEpollServer(context, edgeTriggered: true)),
        ("saea", context => new UdpSaeaServer(context)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. s_models.Select(m => m.Name)];

    public static bool Supports(string model) => Names.Contains(model);

    /// <summary>
    /// Null when the model and options can serve UDP, else the one line to print (exit 2). Datagrams keep their own
    /// boundaries, so the only framing accepted is the default one, which UDP then does not apply.
    /// </summary>
    public static string? Validate(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Supports(options.Model))
        {
            return $"--model {options.Model} has no UDP transport; models with UDP are {string.Join(", ", Names)}";
        }

        if (options.Framing != Protocol.Framing.Framed)
        {
            return $"--framing {options.Framing.ToString().ToLowerInvariant()} does not apply to --transport udp (each datagram is one message); models with UDP are {string.Join(", ", Names)}";
        }

        return null;
    }

    /// <summary>Creates and binds; the caller starts it.</summary>
    public static IUdpServerModel Create(ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Validate(context.Options) is string problem)
        {
            throw new ArgumentException(problem, nameof(context));
        }

        foreach (var (name, create) in s_models)
        {
            if (name == context.Options.Model)
            {
                return create(context);
            }
        }

        throw new ArgumentException($"--model {context.Options.Model} has no UDP transport", nameof(context));
    }
}
