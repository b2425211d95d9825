using System.Net.Sockets;
using IoModels.Protocol.CommandLine;
using IoModels.Server;
using IoModels.Server.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

ServerOptions? options;
try
{
    options = ServerCommandLine.Parse(args);
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"IoModels.Server: {e.Message}");
    return 2;
}

if (options is null)
{
    Console.WriteLine(ServerCommandLine.Usage);
    return 0;
}

// No default configuration sources: our arguments are parsed above, and the default appsettings.json watcher
// would spend an inotify descriptor (and fail outright under a low descriptor limit) for nothing.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
});
builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
// SPEC §2: exit within 5 s of SIGINT/SIGTERM. Leave a margin for the process to unwind after the models stop.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(4));
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<ServerMetrics>();
builder.Services.AddSingleton(services => ServerModelCatalog.Create(new ServerContext(
    options,
    services.GetRequiredService<ServerMetrics>(),
    services.GetRequiredService<ILoggerFactory>().CreateLogger("IoModels.Server." + options.Model))));
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
    await Console.Error.WriteLineAsync($"IoModels.Server: cannot listen on {options.Address}:{options.Port}: {reason}");
    return 2;
}
catch (ModelUnavailableException e)
{
    await Console.Error.WriteLineAsync($"IoModels.Server: --model {options.Model} cannot run here: {e.Message}");
    return 2;
}

await host.RunAsync();
return 0;
