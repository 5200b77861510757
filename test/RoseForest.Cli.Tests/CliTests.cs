using System.Text;
using System.Text.Json;
using RoseForest.Cli;

namespace RoseForest.Cli.Tests;

/// <summary>The verbs, run in-process with captured output. (Console is shared, so these run one at a time.)</summary>
[Collection("console")]
public class CliTests
{
    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => ConsoleCapture.RunAsync(CliApp.RunAsync, args);

    [Fact]
    public async Task Collections_can_be_created_listed_inspected_and_deleted_with_json_output()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, (await RunAsync("collections", "create", "c", "--dim", "3", "--distance", "dot", "--data", tmp.Path)).Code);
        var (code, list, _) = await RunAsync("collections", "list", "--json", "--data", tmp.Path);
        Assert.Equal(0, code);
        Assert.Equal(["c"], JsonSerializer.Deserialize<string[]>(list)!);
        var info = JsonElement.Parse((await RunAsync("collections", "info", "c", "--json", "--data", tmp.Path)).Out);
        Assert.Equal("dot", info.GetProperty("geometry").GetString());
        Assert.Equal(3, info.GetProperty("dimension").GetInt32());
        Assert.True(JsonElement.Parse((await RunAsync("collections", "delete", "c", "--json", "--data", tmp.Path)).Out).GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task A_damaged_collection_says_why_and_recover_with_salvage_reopens_it_keeping_the_damage_aside()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, (await RunAsync("collections", "create", "c", "--dim", "2", "--distance", "euclid", "--data", tmp.Path)).Code);
        Assert.Equal(0, (await RunAsync("collections", "create", "ok", "--dim", "2", "--distance", "euclid", "--data", tmp.Path)).Code);
        var points = Path.Combine(tmp.Path, "p.jsonl");
        await File.WriteAllTextAsync(points, "{\"id\":1,\"vector\":[1,2]}\n");
        Assert.Equal(0, (await RunAsync("import", points, "--collection", "c", "--data", tmp.Path)).Code);
        var snapshot = Directory.GetFiles(Path.Combine(tmp.Path, "collections", "c", "checkpoints"), "*.snapshot").Single();
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(snapshot, bytes);

        var (code, _, stderr) = await RunAsync("collections", "info", "c", "--data", tmp.Path);
        Assert.Equal(1, code);
        Assert.Contains("could not be opened", stderr, StringComparison.Ordinal);
        Assert.Contains(snapshot, stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("collections", "info", "ok", "--data", tmp.Path)).Code);
        Assert.Equal(1, (await RunAsync("collections", "recover", "c", "--data", tmp.Path)).Code);

        var recovered = await RunAsync("collections", "recover", "c", "--salvage", "--json", "--data", tmp.Path);
        Assert.Equal(0, recovered.Code);
        Assert.Equal("green", JsonElement.Parse(recovered.Out).GetProperty("status").GetString());
        Assert.True(File.Exists(snapshot + ".damaged"));
        Assert.Equal(0, (await RunAsync("collections", "info", "c", "--data", tmp.Path)).Code);
    }

    [Fact]
    public async Task Errors_are_one_line_on_stderr_with_a_non_zero_exit_code()
    {
        using var tmp = new TempDir();
        var (code, stdout, stderr) = await RunAsync("collections", "info", "missing", "--data", tmp.Path);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("error: Collection `missing` doesn't exist!", stderr.Trim());
        Assert.NotEqual(0, (await RunAsync("collections", "create", "bad", "--dim", "0", "--data", tmp.Path)).Code);
        Assert.NotEqual(0, (await RunAsync("import", Path.Combine(tmp.Path, "nothing.fvecs"), "--collection", "x", "--data", tmp.Path)).Code);
    }

    [Fact]
    public async Task Import_reads_fvecs_npy_and_jsonl_and_search_finds_the_points()
    {
        using var tmp = new TempDir();
        var data = Path.Combine(tmp.Path, "db");
        var vectors = Enumerable.Range(0, 50).Select(i => new[] { i, i * 0.5f, 1f }).ToArray();

        var fvecs = Path.Combine(tmp.Path, "v.fvecs");
        using (var w = new BinaryWriter(File.Create(fvecs)))
        {
            foreach (var v in vectors)
            {
                w.Write(3);
                foreach (var x in v)
                {
                    w.Write(x);
                }
            }
        }

        var npy = Path.Combine(tmp.Path, "v.npy");
        using (var w = new BinaryWriter(File.Create(npy)))
        {
            var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (50, 3), }";
            header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
            w.Write((byte)0x93);
            w.Write(Encoding.ASCII.GetBytes("NUMPY"));
            w.Write((byte)1);
            w.Write((byte)0);
            w.Write((ushort)header.Length);
            w.Write(Encoding.ASCII.GetBytes(header));
            foreach (var v in vectors)
            {
                foreach (var x in v)
                {
                    w.Write(x);
                }
            }
        }

        var jsonl = Path.Combine(tmp.Path, "v.jsonl");
        await File.WriteAllLinesAsync(jsonl, vectors.Select((v, i) => JsonSerializer.Serialize(new { id = 1000 + i, vector = v, payload = new { n = i } })));

        foreach (var (file, collection) in new[] { (fvecs, "f"), (npy, "n"), (jsonl, "j") })
        {
            var (code, output, error) = await RunAsync("import", file, "--collection", collection, "--create", "euclid", "--batch", "16", "--json", "--data", data);
            Assert.True(code == 0, error);
            Assert.Equal(50, JsonElement.Parse(output).GetProperty("imported").GetInt32());
        }

        var hits = JsonElement.Parse((await RunAsync("search", "--collection", "n", "--vector", "[10, 5, 1]", "--limit", "1", "--json", "--data", data)).Out);
        Assert.Equal(10, hits[0].GetProperty("id").GetInt64());
        var withPayload = JsonElement.Parse((await RunAsync("search", "--collection", "j", "--vector", "[3, 1.5, 1]", "--limit", "1", "--with-payload", "--json", "--data", data)).Out);
        Assert.Equal(1003, withPayload[0].GetProperty("id").GetInt64());
        Assert.Equal(3, withPayload[0].GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Snapshots_can_be_created_listed_and_restored()
    {
        using var tmp = new TempDir();
        await RunAsync("collections", "create", "s", "--dim", "2", "--distance", "euclid", "--data", tmp.Path);
        var jsonl = Path.Combine(tmp.Path, "p.jsonl");
        await File.WriteAllLinesAsync(jsonl, ["""{"id":1,"vector":[1,2]}""", """{"id":2,"vector":[3,4]}"""]);
        await RunAsync("import", jsonl, "--collection", "s", "--data", tmp.Path);
        var snapshot = JsonElement.Parse((await RunAsync("snapshot", "create", "s", "--json", "--data", tmp.Path)).Out).GetProperty("name").GetString()!;
        var listed = Assert.Single(JsonElement.Parse((await RunAsync("snapshot", "list", "s", "--json", "--data", tmp.Path)).Out).EnumerateArray());
        Assert.Equal(snapshot, listed.GetProperty("name").GetString());

        // Restore from the catalogue by name, and from a copy of the file elsewhere on disk.
        var restored = await RunAsync("snapshot", "restore", "restored", snapshot, "--data", tmp.Path);
        Assert.True(restored.Code == 0, restored.Err);
        var copy = Path.Combine(tmp.Path, "copy.snapshot");
        File.Copy(Path.Combine(tmp.Path, "snapshots", "s", snapshot), copy);
        Assert.Equal(0, (await RunAsync("snapshot", "restore", "fromfile", copy, "--data", tmp.Path)).Code);
        foreach (var name in new[] { "restored", "fromfile" })
        {
            var info = JsonElement.Parse((await RunAsync("collections", "info", name, "--json", "--data", tmp.Path)).Out);
            Assert.Equal(2, info.GetProperty("points_count").GetInt32());
        }
    }
}
