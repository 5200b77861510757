using System.Diagnostics;
using System.Runtime.InteropServices;
using RoseForest.Datasets;
using RoseForest.Embeddings;
using RoseForest.Embeddings.MiniLm;

namespace RoseForest.Bench;

/// <summary>
/// Issue 20's data sets beyond Fashion-MNIST, written as base.fvecs, query.fvecs and gt.ivecs
/// (the exact 100 nearest base ids of each query by L2) so that <c>ann --dataset fvecs</c> and
/// the hnswlib peer (bench/peers/hnswlib_cpu.cpp) read the same files:
/// <list type="bullet">
/// <item><c>gmm</c>: a seeded Gaussian mixture (the cost curve's synthetic clustered set).</item>
/// <item><c>wordnet-glosses</c>: WordNet 3.0 noun glosses embedded with the bundled
/// all-MiniLM-L6-v2 (384-d, unit length, so L2 order is cosine order); a seeded sample of
/// glosses is held out as queries and is not in the base.</item>
/// </list>
/// </summary>
internal static class MakeDataset
{
    private const int TruthDepth = 100;

    public sealed record GmmOptions(string Out, int Points, int Dimension, int Clusters, int Queries, int Seed);

    public static int Gmm(GmmOptions o)
    {
        if (o.Points < 1 || o.Dimension < 1 || o.Clusters < 1 || o.Queries < 1)
        {
            throw new ArgumentException("points, dimension, clusters and queries must all be positive.");
        }

        // Centres ~ N(0, I); each cluster has its own spread in [0.3, 0.7] and its own weight,
        // so the set has dense and sparse regions as real embeddings do.
        var rng = new Random(o.Seed);
        var centres = new float[o.Clusters][];
        var spread = new double[o.Clusters];
        var cumulative = new double[o.Clusters];
        double total = 0;
        for (var c = 0; c < o.Clusters; c++)
        {
            centres[c] = new float[o.Dimension];
            for (var j = 0; j < o.Dimension; j++)
            {
                centres[c][j] = (float)Normal(rng);
            }

            spread[c] = 0.3 + (0.4 * rng.NextDouble());
            total += 0.5 + rng.NextDouble();
            cumulative[c] = total;
        }

        float[] Draw()
        {
            var u = rng.NextDouble() * total;
            var c = Array.BinarySearch(cumulative, u);
            c = c < 0 ? Math.Min(~c, o.Clusters - 1) : c;
            var v = new float[o.Dimension];
            for (var j = 0; j < o.Dimension; j++)
            {
                v[j] = centres[c][j] + (float)(spread[c] * Normal(rng));
            }

            return v;
        }

        var clock = Stopwatch.StartNew();
        var train = new float[o.Points][];
        for (var i = 0; i < train.Length; i++)
        {
            train[i] = Draw();
        }

        var queries = new float[o.Queries][];
        for (var i = 0; i < queries.Length; i++)
        {
            queries[i] = Draw();
        }

        Console.WriteLine($"gmm: {o.Points} x {o.Dimension}, {o.Clusters} clusters, {o.Queries} queries, seed {o.Seed}, drawn in {clock.Elapsed.TotalSeconds:F1} s");
        Write(o.Out, train, queries);
        return 0;
    }

    public sealed record GlossOptions(string Out, string WordNet, int Queries, int Seed);

    public static async Task<int> WordNetGlossesAsync(GlossOptions o, CancellationToken ct)
    {
        var synsets = WordNetGlosses.Read(o.WordNet);
        if (o.Queries < 1 || o.Queries >= synsets.Count)
        {
            throw new ArgumentException($"queries must be between 1 and {synsets.Count - 1}.");
        }

        var texts = synsets.Select(s => s.Gloss).ToArray();
        using var embedder = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 32 });
        var vectors = new float[texts.Length][];
        var clock = Stopwatch.StartNew();
        const int Batch = 256;
        for (var start = 0; start < texts.Length; start += Batch)
        {
            var slice = texts.AsMemory(start, Math.Min(Batch, texts.Length - start)).ToArray();
            var embedded = await embedder.GenerateAsync(slice, cancellationToken: ct);
            for (var i = 0; i < embedded.Count; i++)
            {
                var v = embedded[i].Vector.ToArray();
                EmbeddingMath.NormalizeInPlace(v);
                vectors[start + i] = v;
            }

            if ((start / Batch) % 40 == 0)
            {
                Console.WriteLine($"  embedded {start + slice.Length} of {texts.Length} in {clock.Elapsed.TotalSeconds:F0} s");
            }
        }

        Console.WriteLine($"wordnet-glosses: {texts.Length} glosses embedded with {MiniLmEmbeddingGenerator.ModelName} in {clock.Elapsed.TotalSeconds:F0} s ({texts.Length / clock.Elapsed.TotalSeconds:F0}/s)");

        // Held-out queries: a seeded sample, removed from the base.
        var rng = new Random(o.Seed);
        var held = new HashSet<int>();
        while (held.Count < o.Queries)
        {
            held.Add(rng.Next(texts.Length));
        }

        var order = held.Order().ToArray();
        Write(o.Out, [.. Enumerable.Range(0, texts.Length).Where(i => !held.Contains(i)).Select(i => vectors[i])], [.. order.Select(i => vectors[i])]);
        return 0;
    }

    /// <summary>Writes the three files; the truth is an exact scan, queries in parallel.</summary>
    private static void Write(string folder, float[][] train, float[][] queries)
    {
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        var (truth, _) = AnnDataset.Exact(train, queries, TruthDepth, mask: null);

        WriteVecs(Path.Combine(folder, "base.fvecs"), train);
        WriteVecs(Path.Combine(folder, "query.fvecs"), queries);
        WriteVecs(Path.Combine(folder, "gt.ivecs"), truth);
        Console.WriteLine($"wrote {folder}: {train.Length} base, {queries.Length} queries, truth@{truth[0].Length} in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static void WriteVecs<T>(string path, T[][] rows)
        where T : unmanaged
    {
        using var stream = new BufferedStream(File.Create(path), 1 << 20);
        Span<byte> header = stackalloc byte[4];
        foreach (var row in rows)
        {
            BitConverter.TryWriteBytes(header, row.Length);
            stream.Write(header);
            stream.Write(MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }

    private static double Normal(Random rng)
    {
        // Box-Muller; one of the pair is enough here.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
