using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class EpollLevelConformanceTests(ITestOutputHelper output) : ConformanceTests("epoll-lt", output);
