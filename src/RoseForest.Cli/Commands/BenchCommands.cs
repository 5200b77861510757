using System.CommandLine;
using RoseForest.Cli.Bench;
using RoseForest.Cli.Datasets;

namespace RoseForest.Cli.Commands;

/// <summary>The <c>bench</c> verbs: measured numbers for docs/benchmarks.md.</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark and print (or write as JSON) its numbers.");
        bench.Subcommands.Add(Storage());
        bench.Subcommands.Add(EmbedCommands.Bench());
        return bench;
    }

    private static Command Storage()
    {
        var dataset = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var work = new Option<string?>("--work-dir") { Description = "Where to put the benchmark's databases (default: a temporary folder, removed afterwards)." };
        var singles = new Option<int>("--singles") { Description = "Points written one per call in sync mode (5x that in buffered mode).", DefaultValueFactory = _ => 3000 };
        var queries = new Option<int>("--queries") { Description = "Exact-search queries to time.", DefaultValueFactory = _ => 200 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("storage", "Upsert throughput (sync/buffered, batch 1/1000), get latency, exact search QPS and open time on Fashion-MNIST.")
        {
            dataset, work, singles, queries, json,
        };
        command.SetAction((parse, ct) => StorageBench.RunAsync(parse.GetValue(dataset)!, parse.GetValue(work), parse.GetValue(singles), parse.GetValue(queries), parse.GetValue(json), ct));
        return command;
    }
}
