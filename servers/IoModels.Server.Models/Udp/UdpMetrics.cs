using System.Diagnostics.Metrics;
using System.Globalization;

namespace IoModels.Server.Models.Udp;

/// <summary>
/// What only UDP has: datagrams echoed, dropped for exceeding max-frame, and echoes the kernel refused. Published
/// as the <c>IoModels.Server.Udp</c> meter; bytes go to the shared <see cref="ServerMetrics"/> as for TCP.
/// </summary>
public sealed class UdpMetrics : IDisposable
{
    public const string MeterName = "IoModels.Server.Udp";

    private readonly Meter _meter;
    private long _received;
    private long _echoed;
    private long _oversize;
    private long _sendFailures;

    public UdpMetrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("iomodels.server.udp.datagrams.received", () => DatagramsReceived, "{datagram}", "Datagrams received, oversize ones included");
        _meter.CreateObservableCounter("iomodels.server.udp.datagrams.echoed", () => DatagramsEchoed, "{datagram}", "Datagrams sent back");
        _meter.CreateObservableCounter("iomodels.server.udp.datagrams.oversize", () => OversizeDropped, "{datagram}", "Datagrams longer than max-frame, dropped unanswered");
        _meter.CreateObservableCounter("iomodels.server.udp.send_failures", () => SendFailures, "{datagram}", "Echoes the kernel refused (not a full buffer: those wait)");
    }

    public long DatagramsReceived => Interlocked.Read(ref _received);

    public long DatagramsEchoed => Interlocked.Read(ref _echoed);

    public long OversizeDropped => Interlocked.Read(ref _oversize);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public void Received(int datagrams) => Interlocked.Add(ref _received, datagrams);

    public void Echoed(int datagrams) => Interlocked.Add(ref _echoed, datagrams);

    /// <summary>True for the first drop, which is logged; later ones are only counted.</summary>
    public bool Oversize() => Interlocked.Increment(ref _oversize) == 1;

    /// <summary>True for the first failure, which is logged; later ones are only counted.</summary>
    public bool SendFailed(int count) => Interlocked.Add(ref _sendFailures, count) == count;

    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"datagrams received={DatagramsReceived} echoed={DatagramsEchoed} oversize dropped={OversizeDropped} send failures={SendFailures}");

    public void Dispose() => _meter.Dispose();
}
