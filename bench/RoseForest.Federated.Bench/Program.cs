// roseforest-fl-bench: the federated-learning benchmark of docs/benchmarks.md (issue 18).
// Usage: roseforest-fl-bench accuracy|byzantine|privacy|cost|gossip|all [--rounds N] [--hidden H] [--models mlr|mlp|both] [--splits iid|dir|both] [--json FILE]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RoseForest.Federated.Bench;
using RoseForest.Federated.Bench.Data;

var verb = args.Length > 0 ? args[0] : "all";
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var settings = new BenchSettings
{
    Rounds = int.Parse(Option("--rounds") ?? "30", CultureInfo.InvariantCulture),
    Hidden = int.Parse(Option("--hidden") ?? "128", CultureInfo.InvariantCulture),
    Models = Option("--models") ?? "both",
    Splits = Option("--splits") ?? "both",
};
var results = new Dictionary<string, object>();
var clock = Stopwatch.StartNew();
Console.WriteLine($"# roseforest-fl-bench {verb} (rounds {settings.Rounds}, {Environment.ProcessorCount} cores, .NET {Environment.Version})");
var data = verb is "cost" ? null : FashionData.Load();
var bench = new Benchmarks(settings, data!, results);
switch (verb)
{
    case "accuracy":
        bench.Accuracy();
        break;
    case "byzantine":
        bench.Byzantine();
        break;
    case "privacy":
        bench.Privacy();
        break;
    case "cost":
        await Benchmarks.CostAsync(settings, results);
        break;
    case "gossip":
        bench.Gossip();
        break;
    case "all":
        bench.Accuracy();
        bench.Byzantine();
        bench.Privacy();
        bench.Gossip();
        await Benchmarks.CostAsync(settings, results);
        break;
    default:
        Console.Error.WriteLine("usage: roseforest-fl-bench accuracy|byzantine|privacy|cost|gossip|all [--rounds N] [--hidden H] [--models mlr|mlp|both] [--splits iid|dir|both] [--json FILE]");
        return 2;
}

Console.WriteLine($"\n(total {clock.Elapsed.TotalMinutes:F1} min)");
if (Option("--json") is { } file)
{
    File.WriteAllText(file, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}

return 0;
