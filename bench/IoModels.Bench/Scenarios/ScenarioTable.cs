namespace IoModels.Bench.Scenarios;

/// <summary>The small table a scenario's claim is about, written above its per-cell tables.</summary>
internal enum ScenarioTable
{
    /// <summary>Per model: messages per second at the lowest and the highest numeric variant, and the share kept.</summary>
    KeptAcrossVariants,

    /// <summary>Per model: p50 and messages per second of the first two variants side by side.</summary>
    VariantsSideBySide,

    /// <summary>Per model and variant: connect p50, p99 and max, and the connects that failed (the accept backlog's burst).</summary>
    ConnectLatency,

    /// <summary>Per model and variant: the TIME_WAIT sockets on the server's side and on the client's (the side that closed first).</summary>
    TimeWaitBySide,

    /// <summary>Per model and variant: messages per second and the server's CPU per message (a length prefix against a delimiter).</summary>
    FramingCost,

    /// <summary>Per model and variant: the idle connections the server closed, the active ones it closed, and its RSS.</summary>
    IdleCloses,

    /// <summary>Per model and cell: what became of the messages (loss %, lost, cut by the client's buffer, the kernel's receive-buffer drops) beside p50 and p99.</summary>
    DatagramFate,
}
