using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RoseForest.Hyperbolic.CommandLine;
using RoseForest.Hyperbolic.Graphs;

namespace RoseForest.Cli.Commands;

/// <summary>The <c>geometry</c> verbs: measure data and choose a geometry for it (issue 5).</summary>
internal static class GeometryCommands
{
    public static Command Create()
    {
        var geometry = new Command("geometry", "Measure how hyperbolic data is and recommend a geometry.");
        geometry.Subcommands.Add(Recommend());
        return geometry;
    }

    private static Command Recommend()
    {
        var input = new GraphInput();
        var vectors = new Option<string?>("--vectors") { Description = "A vector set instead of a graph: one vector per line (numbers separated by tabs, commas or spaces; a leading name and '#' lines are skipped)." };
        var points = new Option<int>("--points") { Description = "Points sampled for the four-point condition.", DefaultValueFactory = _ => 200 };
        var samples = new Option<long>("--samples") { Description = "Quadruples evaluated.", DefaultValueFactory = _ => 200_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var keepShortcuts = new Option<bool>("--keep-shortcuts") { Description = "Measure the graph as given; by default an edge u->v is dropped when u->w->v exists (a transitive closure becomes its hierarchy)." };
        var command = new Command("recommend", "Estimate Gromov δ-hyperbolicity (sampled four-point condition) and recommend lorentz/poincare, euclid or cosine.")
        {
            vectors, points, samples, seed, json, keepShortcuts,
        };
        input.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            DeltaEstimate delta;
            double? normSpread = null;
            string source;
            if (parse.GetValue(vectors) is { } path)
            {
                var rows = ReadVectors(path);
                delta = GromovDelta.ForVectors(rows, (a, b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum()), parse.GetValue(points), parse.GetValue(samples), parse.GetValue(seed));
                var norms = rows.Select(r => Math.Sqrt(r.Sum(x => x * x))).ToArray();
                var mean = norms.Average();
                normSpread = mean > 0 ? Math.Sqrt(norms.Average(x => (x - mean) * (x - mean))) / mean : 0;
                source = $"{rows.Count:N0} vectors from {path}";
            }
            else
            {
                var graph = input.Load(parse);
                if (!parse.GetValue(keepShortcuts))
                {
                    graph = graph.WithoutShortcuts();
                }

                delta = GromovDelta.ForGraph(graph, parse.GetValue(points), parse.GetValue(samples), parse.GetValue(seed));
                source = $"graph {input.Describe(parse)} ({graph.NodeCount:N0} nodes, {graph.EdgeCount:N0} edges measured, shortest paths taken undirected)";
            }

            var advice = GeometryAdvisor.Recommend(delta, normSpread);
            Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { source, points = delta.Points, samples = delta.Samples, delta = delta.Delta, mean_delta = delta.MeanDelta, diameter = delta.Diameter, relative_delta = delta.RelativeDelta, distance_spread = delta.DistanceSpread, norm_spread = normSpread, geometry = advice.Geometry, reason = advice.Reason })
                : $"{source}\nrecommended geometry: {advice.Geometry}\n{advice.Reason}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static List<double[]> ReadVectors(string path)
    {
        if (!File.Exists(path))
        {
            throw new ValidationException("vectors", $"no such file: {path}");
        }

        var rows = new List<double[]>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(['\t', ',', ' '], StringSplitOptions.RemoveEmptyEntries);
            var numbers = parts.SkipWhile(p => !double.TryParse(p, CultureInfo.InvariantCulture, out _)).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            if (numbers.Length > 0)
            {
                if (rows.Count > 0 && numbers.Length != rows[0].Length)
                {
                    throw new ValidationException("vectors", $"{path}: vectors of different lengths ({rows[0].Length} and {numbers.Length}).");
                }

                rows.Add(numbers);
            }
        }

        return rows.Count >= 4 ? rows : throw new ValidationException("vectors", $"{path}: need at least 4 vectors, got {rows.Count}.");
    }
}
