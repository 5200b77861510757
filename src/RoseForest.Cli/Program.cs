return await RoseForest.Cli.CliApp.RunAsync(args);
