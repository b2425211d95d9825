using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class SaeaConformanceTests(ITestOutputHelper output) : ConformanceTests("saea", output);
