namespace IoModels.Server.Models.Udp;

/// <summary>A model echoing datagrams: an <see cref="IServerModel"/> with the counters only UDP has.</summary>
public interface IUdpServerModel : IServerModel
{
    UdpMetrics Datagrams { get; }
}
