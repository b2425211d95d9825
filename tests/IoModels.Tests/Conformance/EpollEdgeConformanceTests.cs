using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class EpollEdgeConformanceTests(ITestOutputHelper output) : ConformanceTests("epoll-et", output);
