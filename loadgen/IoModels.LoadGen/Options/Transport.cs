namespace IoModels.LoadGen.Options;

/// <summary>What carries the messages: <c>--transport</c>.</summary>
public enum Transport
{
    /// <summary>Connections: a byte stream, framed as <c>--framing</c> says.</summary>
    Tcp,

    /// <summary>Flows of datagrams, one message each (docs/loadgen.md#udp).</summary>
    Udp,
}
