using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class UringConformanceTests(ITestOutputHelper output) : ConformanceTests("uring", output);
