using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class BlockingConformanceTests(ITestOutputHelper output) : ConformanceTests("blocking", output);
