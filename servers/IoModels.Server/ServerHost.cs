using System.Net.Sockets;
using IoModels.Protocol.CommandLine;
using IoModels.Server.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace IoModels.Server;

/// <summary>The whole run of the host, from arguments to exit code (<see cref="ServerExitCode"/>).</summary>
internal static class ServerHost
{
    /// <param name="args">The command line.</param>
    /// <param name="createModel">Creates, binds and listens: <see cref="ServerModelCatalog.Create"/>, or a test's wrapper around it.</param>
    /// <param name="configureLogging">Tests add a provider of their own here.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<ServerContext, IServerModel> createModel, Action<ILoggingBuilder>? configureLogging = null)
    {
        ServerOptions? options;
        try
        {
            options = ServerCommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"IoModels.Server: {e.Message}").ConfigureAwait(false);
            return ServerExitCode.Usage;
        }

        if (options is null)
        {
            Console.WriteLine(ServerCommandLine.Usage);
            return ServerExitCode.Clean;
        }

        // No default configuration sources: our arguments are parsed above, and the default appsettings.json watcher
        // would spend an inotify descriptor (and fail outright under a low descriptor limit) for nothing.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(console =>
        {
            console.LogToStandardErrorThreshold = LogLevel.Trace;
            // A full queue means stderr is not being read (a pipe nobody drains, a stalled terminal). Waiting would
            // stall whichever thread logs, an event loop included; dropping costs only log lines.
            console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        // docs/server.md#stopping-the-server: exit within 5 s of SIGINT/SIGTERM. Leave a margin for the process to unwind after the models stop.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(4));
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ModelOutcome>();
        builder.Services.AddSingleton(services => new ServerContext(
            options,
            services.GetRequiredService<ServerMetrics>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("IoModels.Server." + options.Model)));
        builder.Services.AddSingleton(services => createModel(services.GetRequiredService<ServerContext>()));
        builder.Services.AddHostedService<EchoServerService>();

        using var host = builder.Build();
        try
        {
            // Binding happens here, before the host starts, so a port in use is a user's mistake (exit 2), not a crash.
            host.Services.GetRequiredService<IServerModel>();
        }
        catch (SocketException e)
        {
            string reason = e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "address already in use (pick another --port, or 0 for a free one)"
                : e.Message;
            await Console.Error.WriteLineAsync($"IoModels.Server: cannot listen on {options.Address}:{options.Port}: {reason}").ConfigureAwait(false);
            return ServerExitCode.Usage;
        }
        catch (ModelUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"IoModels.Server: --model {options.Model} cannot run here: {e.Message}").ConfigureAwait(false);
            return ServerExitCode.Usage;
        }

        // RunAsync disposes the host's services on its way out.
        var outcome = host.Services.GetRequiredService<ModelOutcome>();
        await host.RunAsync().ConfigureAwait(false);
        return outcome.ExitCode;
    }
}
