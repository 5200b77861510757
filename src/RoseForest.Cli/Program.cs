using System.CommandLine;
using RoseForest.Cli.Commands;

var root = new RootCommand("RoseForest: a multi-geometry vector database and agent memory.")
{
    BenchCommands.Create(),
    EmbedCommands.Create(),
    GeometryCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
