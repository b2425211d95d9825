using BenchmarkDotNet.Running;
using IoModels.Benchmarks;

// dotnet run -c Release --project tests/IoModels.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(CodecConfig).Assembly).Run(args, new CodecConfig());
