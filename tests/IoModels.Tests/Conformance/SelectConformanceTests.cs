using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class SelectConformanceTests(ITestOutputHelper output) : ConformanceTests("select", output);
