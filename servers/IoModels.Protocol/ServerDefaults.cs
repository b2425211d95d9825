namespace IoModels.Protocol;

/// <summary>The defaults of docs/server.md#options that every echo server of the project shares (the models and the Kestrel peer).</summary>
public static class ServerDefaults
{
    public const int Port = 7007;

    public const int Backlog = 1024;

    /// <summary>
    /// How long a connection may go without completing a message or sending an echo byte (docs/server.md#idle-timeout).
    /// Long enough that no bench cell, which holds its idle connections for the whole cell, ever meets it; short enough
    /// that silent, slowloris and never-reading peers do not pile up on a real server (Kestrel's keep-alive default is of
    /// the same order).
    /// </summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(2);
}
