using System.Net;

namespace IoModels.Server.Models;

/// <summary>
/// An I/O model serving the echo protocol. The constructor binds and listens (a port in use surfaces there as a
/// <see cref="System.Net.Sockets.SocketException"/>); <see cref="Start"/> begins serving on the model's own threads.
/// </summary>
public interface IServerModel : IDisposable
{
    /// <summary>The bound address; the real port when port 0 was asked for.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Begins accepting and serving.</summary>
    void Start();

    /// <summary>
    /// Stops accepting, closes every connection and waits for the model's threads to end. Never throws for a model
    /// that failed: that is <see cref="Completion"/>'s to say.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the model has stopped serving: successfully once <see cref="StopAsync"/> has ended it, faulted
    /// (with the loop's exception) as soon as a loop of the model fails and it can serve no more. The host watches it
    /// so that a model that died takes the process down instead of leaving it up serving nothing.
    /// </summary>
    Task Completion { get; }
}
