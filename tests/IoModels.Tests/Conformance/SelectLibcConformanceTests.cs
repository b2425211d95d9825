using IoModels.Native;
using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

public sealed class SelectLibcConformanceTests(ITestOutputHelper output) : ConformanceTests("select-libc", output, watchableDescriptors: FdSet.Capacity);
