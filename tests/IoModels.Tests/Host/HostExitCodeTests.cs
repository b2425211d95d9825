using IoModels.Server;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace IoModels.Tests.Host;

/// <summary>The host, run in this process: a model whose loop fails is logged once and the run exits 3.</summary>
public sealed class HostExitCodeTests
{
    [Theory]
    [InlineData("epoll-et")]
    [InlineData("saea")]
    public async Task A_failed_model_is_logged_once_and_exits_3(string model)
    {
        var created = new TaskCompletionSource<IServerModel>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var capture = new CapturingLoggerProvider();
        var run = ServerHost.RunAsync(
            ["--model", model, "--port", "0"],
            context =>
            {
                context.ConnectionOpenedHook = () => throw new InvalidOperationException("injected loop failure");
                var server = ServerModelCatalog.Create(context);
                created.SetResult(server);
                return server;
            },
            logging => logging.AddProvider(capture));

        var server = await created.Task.WaitAsync(Timeouts.Operation);
        using var client = await TestClient.ConnectAsync(server.LocalEndPoint.Port);

        Assert.Equal(3, await run.WaitAsync(Timeouts.Operation));
        var failures = capture.Entries.Where(e => e.EventId == 8).ToList();
        Assert.Single(failures);
        Assert.IsType<InvalidOperationException>(failures[0].Exception);
        Assert.Equal(0, await client.ReceiveUntilClosedAsync());
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<(int EventId, Exception? Exception)> _entries = [];

        public IReadOnlyList<(int EventId, Exception? Exception)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((eventId.Id, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
