namespace IoModels.LoadGen.Options;

/// <summary>How the active connections live: <c>--connect-mode</c>.</summary>
public enum ConnectMode
{
    /// <summary>Connect once, send every message on the same connection.</summary>
    Persistent,

    /// <summary>Connect, one echo, close, repeat: the short-connection world before HTTP keep-alive.</summary>
    PerRequest,
}
