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

    /// <summary>Stops accepting, closes every connection and waits for the model's threads to end.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
