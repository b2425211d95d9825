using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class PollConformanceTests(ITestOutputHelper output) : ConformanceTests("poll", output);
