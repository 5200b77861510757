using System.Text.Json;

namespace RoseForest.Bench.Tests;

/// <summary>The benchmark verbs, run in-process with captured output. (Console is shared, so these run one at a time.)</summary>
[Collection("console")]
public class BenchTests
{
    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => ConsoleCapture.RunAsync(BenchApp.RunAsync, args);

    [Fact]
    public async Task Bench_embed_reports_when_float32_storage_changes_the_trained_neighbours()
    {
        using var tmp = new TempDir();
        var edges = Path.Combine(tmp.Path, "g.tsv");
        File.WriteAllLines(edges, Enumerable.Range(1, 11).Select(k => $"n{k}\tq"));

        // Apart by whole units the float rows rank like the double ones; 1e-9 apart (below
        // float32's resolution at 1) every n collapses onto the same float and ties go by row.
        foreach (var (spacing, expectSame) in new[] { (1.0, true), (1e-9, false) })
        {
            var embeddings = Path.Combine(tmp.Path, $"e{spacing}.tsv");
            File.WriteAllLines(embeddings, ["# model=euclid dim=1 curvature=1", "q\t0", .. Enumerable.Range(1, 11).Select(k => FormattableString.Invariant($"n{k}\t{1 + ((11 - k) * spacing)}"))]);
            var json = Path.Combine(tmp.Path, $"r{spacing}.json");
            var (code, _, stderr) = await RunAsync("embed", "--edges", edges, "--model", "euclid", "--dim", "1", "--epochs", "0", "--burn-in", "0", "--threads", "1", "--init", embeddings, "--knn-queries", "30", "--json", json);
            Assert.True(code == 0, stderr);
            var knn = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("knn");
            Assert.Equal(30, knn.GetProperty("agreeing").GetInt32()); // the search is right about the floats either way
            var same = knn.GetProperty("same_as_trained").GetInt32();
            if (expectSame)
            {
                Assert.Equal(30, same);
                Assert.Equal(1.0, knn.GetProperty("trained_overlap").GetDouble());
            }
            else
            {
                Assert.True(same < 30, $"{same} of 30 queries kept the trained top-10");
                Assert.True(knn.GetProperty("trained_overlap").GetDouble() < 1);
            }
        }
    }

    [Fact]
    public async Task Verbs_outside_the_data_verbs_report_bad_input_the_same_way()
    {
        using var tmp = new TempDir();
        var (code, _, stderr) = await RunAsync("embed-search", "--embeddings", Path.Combine(tmp.Path, "e.tsv"), "--delete-fraction", "1.5");
        Assert.Equal(1, code);
        Assert.Equal("error: delete-fraction: must be in [0, 1), got 1.5.", stderr.Trim());

        (code, _, stderr) = await RunAsync("embed-search", "--embeddings", Path.Combine(tmp.Path, "missing.tsv"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", stderr.Trim());
        Assert.DoesNotContain("\n", stderr.Trim());
        Assert.Contains("missing.tsv", stderr);
    }

    [Fact]
    public async Task Bench_vectordata_runs_every_row_in_process_and_remote()
    {
        using var tmp = new TempDir();
        var json = Path.Combine(tmp.Path, "v.json");
        var (code, stdout, stderr) = await RunAsync("vectordata", "--points", "300", "--dimension", "8", "--queries", "40", "--concurrency", "2", "--json", json);
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        foreach (var row in new[] { "inprocess_mevd_upsert", "inprocess_raw_query", "inprocess_mevd_query", "remote_mevd_upsert", "remote_raw_query", "remote_mevd_query" })
        {
            Assert.True(root.GetProperty(row).GetProperty("requests").GetInt32() > 0, row);
            Assert.Contains(row, stdout);
        }

        Assert.Equal(40, root.GetProperty("remote_mevd_query").GetProperty("requests").GetInt32());
    }
}
