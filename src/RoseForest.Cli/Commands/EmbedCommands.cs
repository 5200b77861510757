using System.CommandLine;
using System.Text.Json;
using RoseForest.Cli.Embeddings;
using RoseForest.Engine;
using RoseForest.Hyperbolic.CommandLine;
using RoseForest.Hyperbolic.Evaluation;
using RoseForest.Hyperbolic.Training;

namespace RoseForest.Cli.Commands;

/// <summary>The <c>embed</c> verbs: train hierarchy embeddings and evaluate them (issue 5).</summary>
internal static class EmbedCommands
{
    public static Command Create()
    {
        var embed = new Command("embed", "Embed a hierarchy (a directed graph) in hyperbolic or Euclidean space, and evaluate embeddings.");
        embed.Subcommands.Add(Hierarchy());
        embed.Subcommands.Add(Eval());
        return embed;
    }

    private static Command Hierarchy()
    {
        var input = new GraphInput();
        var training = new TrainingOptionsInput();
        var output = new Option<string>("--out") { Description = "The embeddings file to write (TSV: name, coordinates).", Required = true };
        var report = new Option<string?>("--report") { Description = "The evaluation report (JSON); default: the --out path with .eval.json." };
        var collection = new Option<string?>("--collection") { Description = "Also load the embeddings into this collection (geometry poincare, lorentz or euclid)." };
        var data = new Option<string?>("--data") { Description = "The database folder for --collection." };
        var json = new Option<bool>("--json") { Description = "Plain output: progress lines on stderr, the report as JSON on stdout." };
        var command = new Command("hierarchy", "Train Poincaré, Lorentz or Euclidean embeddings of a hierarchy with Riemannian SGD, evaluate them and write them out.")
        {
            output, report, collection, data, json,
        };
        input.AddTo(command);
        training.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var graph = input.Load(parse);
            var options = training.Build(parse);
            var plain = parse.GetValue(json);
            if (parse.GetValue(collection) is not null && parse.GetValue(data) is null)
            {
                throw new ValidationException("data", "--collection needs --data DIR.");
            }

            Log(plain, $"{input.Describe(parse)}: {graph.NodeCount:N0} nodes, {graph.EdgeCount:N0} edges; {EmbeddingFile.ModelName(options.Model)} dim {options.Dimension}, {options.Epochs} epochs, {options.Threads} threads");
            var result = TrainingProgressBar.Run(graph, options, plain, ct, training.Initial(parse));
            var outPath = parse.GetValue(output)!;
            EmbeddingFile.Write(result.Embedding, outPath);
            var evaluation = ReconstructionEvaluator.Evaluate(graph, result.Embedding, cancellationToken: ct);
            var text = (EmbedSummary.Of(input.Describe(parse), graph, options, result, evaluation) with { Embeddings = outPath }).ToJson();
            await File.WriteAllTextAsync(parse.GetValue(report) ?? Path.ChangeExtension(outPath, ".eval.json"), text, ct);
            if (parse.GetValue(collection) is { } name)
            {
                await using var db = await RoseForestDatabase.OpenAsync(parse.GetValue(data)!, cancellationToken: ct);
                await CollectionExport.WriteAsync(db, name, result.Embedding, result.Embedding.ToCollectionRows(), ct, graph);
                Log(plain, $"wrote {result.Embedding.Count:N0} points to collection '{name}' in {parse.GetValue(data)}");
            }

            Console.WriteLine(plain ? text : $"trained in {result.Seconds:F1} s; mean rank {evaluation.MeanRank:F3}, MAP {evaluation.MeanAveragePrecision:F4}; wrote {outPath}");
            return 0;
        });
        return command;
    }

    private static Command Eval()
    {
        var input = new GraphInput();
        var embeddings = new Option<string>("--embeddings") { Description = "The embeddings file (as written by embed hierarchy).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("eval", "Mean rank and MAP of embeddings against a graph, as the Poincaré-embeddings reference computes them.") { embeddings, json };
        input.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            var graph = input.Load(parse);
            var embedding = EmbeddingFile.Read(parse.GetValue(embeddings)!);
            var r = ReconstructionEvaluator.Evaluate(graph, embedding, cancellationToken: ct);
            Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { mean_rank = r.MeanRank, map = r.MeanAveragePrecision, nodes = r.Nodes, edges = r.Edges, seconds = r.Seconds })
                : $"mean rank {r.MeanRank:F3}  MAP {r.MeanAveragePrecision:F4}  ({r.Nodes:N0} nodes, {r.Edges:N0} edges)");
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Log(bool plain, string message)
    {
        if (plain)
        {
            Console.Error.WriteLine(message);
        }
        else
        {
            Console.WriteLine(message);
        }
    }
}
