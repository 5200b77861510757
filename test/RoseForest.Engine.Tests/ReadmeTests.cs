using System.Text.Json;
using System.Text.RegularExpressions;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>The README's embedded example compiles, runs, and says what the README shows.</summary>
public partial class ReadmeTests
{
    [Fact]
    public async Task The_readme_example_runs_and_finds_the_cat()
    {
        using var tmp = new TempDir();
        var dataPath = tmp.Path;
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            // README:BEGIN
            await using var db = await RoseForestDatabase.OpenAsync(dataPath);
            var docs = await db.CreateCollectionAsync("docs", new CollectionOptions { Dimension = 3, Geometry = Geometry.Cosine });
            await docs.UpsertAsync([
                new PointStruct(1, [0.9f, 0.1f, 0.0f], JsonElement.Parse("""{"topic":"cats"}""")),
                new PointStruct(2, [0.1f, 0.9f, 0.0f], JsonElement.Parse("""{"topic":"dogs"}""")),
            ]);
            var hits = await docs.SearchAsync(new SearchRequest
            {
                Vector = [1f, 0f, 0f],
                Limit = 5,
                WithPayload = true,
                Filter = Filter.Where(Condition.Match("topic", "cats")),
            });
            foreach (var hit in hits)
            {
                Console.WriteLine($"{hit.Id} {hit.Score:F3} {hit.Payload}");
            }

            // README:END
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.Equal("1 0.994 {\"topic\":\"cats\"}", output.ToString().Trim());
    }

    [Fact]
    public void The_readme_shows_exactly_the_tested_example()
    {
        var root = RepoRoot();
        var test = File.ReadAllText(Path.Combine(root, "test", "RoseForest.Engine.Tests", "ReadmeTests.cs"));
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var tested = Normalize(Regex.Match(test, @"// README:BEGIN\n(.*?)// README:END", RegexOptions.Singleline).Groups[1].Value);
        var block = ReadmeBlock().Match(readme);
        Assert.True(block.Success, "README.md needs a ```csharp block that starts with the dataPath line");
        Assert.Equal(tested, Normalize(block.Groups[1].Value));
    }

    private static string Normalize(string code) =>
        string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RoseForest.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the tests from inside the repository");
    }

    [GeneratedRegex(@"```csharp\nvar dataPath = ""my-data"";\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ReadmeBlock();
}
