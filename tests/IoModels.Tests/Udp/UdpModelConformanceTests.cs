namespace IoModels.Tests.Udp;

public sealed class UdpBlockingConformanceTests() : UdpConformanceTests("blocking");

public sealed class UdpEpollLevelConformanceTests() : UdpConformanceTests("epoll-lt");

public sealed class UdpEpollEdgeConformanceTests() : UdpConformanceTests("epoll-et");

public sealed class UdpSaeaConformanceTests() : UdpConformanceTests("saea");
