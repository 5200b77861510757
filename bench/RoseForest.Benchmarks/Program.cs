using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/RoseForest.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(RoseForest.Benchmarks.KernelBenchmarks).Assembly).Run(args);
