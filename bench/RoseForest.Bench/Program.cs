return await RoseForest.Bench.BenchApp.RunAsync(args);
