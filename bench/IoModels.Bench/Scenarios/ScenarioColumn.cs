namespace IoModels.Bench.Scenarios;

/// <summary>The one figure a scenario adds to the common columns of its table.</summary>
internal enum ScenarioColumn
{
    /// <summary>The rate an open loop offered.</summary>
    OfferedRate,

    /// <summary>Sockets left in TIME_WAIT when the run ended.</summary>
    TimeWait,
}
