using System.Net;
using IoModels.KestrelEcho;
using IoModels.Protocol.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

const string Program = "IoModels.KestrelEcho";

TcpServerSettings? options;
try
{
    options = KestrelEchoCommandLine.Parse(args);
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"{Program}: {e.Message}");
    return 2;
}

if (options is null)
{
    Console.WriteLine(KestrelEchoCommandLine.Usage);
    return 0;
}

// The empty builder reads no configuration (no ASPNETCORE_URLS, no appsettings): the command line is all there is.
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
});
// A port in use is reported below as one line; the host's own multi-line account of the failed start is noise.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
builder.Services.Configure<ConsoleLoggerOptions>(console =>
{
    console.LogToStandardErrorThreshold = LogLevel.Trace;
    // As in the server: a stderr nobody reads must cost log lines, never a stalled connection handler.
    console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
});
// docs/server.md#stopping-the-server: exit within 5 s of SIGINT/SIGTERM. Leave a margin for the process to unwind after Kestrel stops.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(4));
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<KestrelEchoCounters>();

builder.WebHost.UseKestrelCore();
builder.WebHost.UseSockets(sockets =>
{
    sockets.NoDelay = options.NoDelay;
    sockets.Backlog = options.Backlog;
    // Backpressure (docs/protocol.md#backpressure): the transport stops reading the socket when this much input waits, and the
    // handler's FlushAsync waits when this much output is unsent.
    sockets.MaxReadBufferSize = KestrelEchoLimits.OutputBudget;
    sockets.MaxWriteBufferSize = KestrelEchoLimits.OutputBudget;
});
ListenOptions? listen = null;
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBufferSize = KestrelEchoLimits.OutputBudget;
    kestrel.Limits.MaxResponseBufferSize = KestrelEchoLimits.OutputBudget;
    kestrel.Listen(new IPEndPoint(options.Address, options.Port), endpoint =>
    {
        endpoint.UseConnectionHandler<EchoConnectionHandler>();
        listen = endpoint;
    });
});

await using var app = builder.Build();
try
{
    await app.StartAsync();
}
catch (IOException e) when (e.InnerException is AddressInUseException)
{
    await Console.Error.WriteLineAsync($"{Program}: cannot listen on {options.Address}:{options.Port}: address already in use (pick another --port, or 0 for a free one)");
    return 2;
}

// Kestrel writes the bound endpoint (the real port when --port 0) back into the ListenOptions it bound.
var bound = listen!.IPEndPoint!;
Console.Out.WriteLine($"listening on {bound.Address}:{bound.Port} model=kestrel framing={options.Framing.ToString().ToLowerInvariant()} pid={Environment.ProcessId}");
Console.Out.Flush();

await app.WaitForShutdownAsync();
var counters = app.Services.GetRequiredService<KestrelEchoCounters>();
await Console.Error.WriteLineAsync($"{Program}: stopped; protocol-errors={counters.ProtocolErrors} idle-closed={counters.IdleClosed} closed-after-limit={counters.ClosedAfterLimit}");
return 0;
