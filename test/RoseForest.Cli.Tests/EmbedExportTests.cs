using System.Text.Json;
using RoseForest.Cli;

namespace RoseForest.Cli.Tests;

/// <summary><c>embed hierarchy --collection</c>: the exported points carry their node's name and direct parents.</summary>
[Collection("console")]
public class EmbedExportTests
{
    [Fact]
    public async Task Exported_points_list_their_direct_parents_from_the_transitive_reduction()
    {
        using var tmp = new TempDir();
        var edges = Path.Combine(tmp.Path, "closure.tsv");
        // A transitive closure: poodle -> dog -> mammal, with the shortcut poodle -> mammal, and cat -> mammal.
        await File.WriteAllTextAsync(edges, "poodle\tdog\ndog\tmammal\npoodle\tmammal\ncat\tmammal\n");
        var data = Path.Combine(tmp.Path, "db");
        var (code, _, err) = await ConsoleCapture.RunAsync(CliApp.RunAsync, ["embed", "hierarchy", "--edges", edges, "--dim", "2", "--epochs", "5", "--burn-in", "1", "--threads", "1", "--negatives", "2", "--out", Path.Combine(tmp.Path, "e.tsv"), "--collection", "h", "--data", data, "--json"]);
        Assert.True(code == 0, err);

        var (_, output, _) = await ConsoleCapture.RunAsync(CliApp.RunAsync, ["search", "--collection", "h", "--vector", "[0, 0]", "--limit", "10", "--with-payload", "--json", "--data", data]);
        var parents = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(h => h.GetProperty("payload"))
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("parents").EnumerateArray().Select(x => x.GetString()!).Order().ToArray());
        Assert.Equal(["dog"], parents["poodle"]);
        Assert.Equal(["mammal"], parents["dog"]);
        Assert.Equal(["mammal"], parents["cat"]);
        Assert.Empty(parents["mammal"]);
    }
}
