using IoModels.Server.Models.Blocking;
using IoModels.Server.Models.Epoll;
using IoModels.Server.Models.Saea;
using IoModels.Server.Models.Scan;
using IoModels.Server.Models.Select;
using IoModels.Server.Models.Uring;

namespace IoModels.Server.Models;

/// <summary>The models <c>--model</c> can name. Adding a model is one folder and one line here.</summary>
public static class ServerModelCatalog
{
    private static readonly (string Name, Func<ServerContext, IServerModel> Create)[] s_models =
    [
        ("blocking", context => new BlockingServer(context)),
        ("select", context => new SelectServer(context)),
        ("poll", context => new PollServer(context)),
        ("select-libc", context => new SelectLibcServer(context)),
        ("epoll-lt", context => new EpollServer(context, EpollTrigger.Level)),
        ("epoll-et", context => new EpollServer(context, EpollTrigger.Edge)),
        ("saea", context => new SaeaServer(context)),
        ("uring", context => new UringServer(context)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. s_models.Select(m => m.Name)];

    /// <summary>Creates, binds and listens; the caller starts it.</summary>
    public static IServerModel Create(ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Options.Transport == "udp")
        {
            return Udp.UdpModelCatalog.Create(context);
        }

        foreach (var (name, create) in s_models)
        {
            if (name == context.Options.Model)
            {
                return create(context);
            }
        }

        throw new ArgumentException($"Unknown model '{context.Options.Model}'; models are {string.Join(", ", Names)}.", nameof(context));
    }
}
