using System.Runtime.InteropServices;
using RoseForest.Core.Spaces;
using RoseForest.Datasets;
using RoseForest.Index.Common;
using RoseForest.Index.Flat;
using RoseForest.Index.Storage;

namespace RoseForest.Bench;

/// <summary>
/// An ANN benchmark data set: base vectors, queries and exact ground truth (computed once with
/// the exact scan and cached under ~/.cache/roseforest).
/// </summary>
internal sealed class AnnDataset
{
    public const int TruthDepth = 100;

    private AnnDataset(string name, float[][] train, float[][] queries)
    {
        Name = name;
        Train = train;
        Queries = queries;
    }

    public string Name { get; }

    public float[][] Train { get; }

    public float[][] Queries { get; }

    public int Dimension => Train[0].Length;

    public static AnnDataset Load(string name, string directory, int queries)
    {
        if (name == "fvecs")
        {
            // A data set written as base.fvecs + query.fvecs (make-dataset, or ann-benchmarks'
            // exports); the truth cache is keyed by the folder and the base file's size.
            var full = Path.GetFullPath(directory);
            float[][] train = [.. VectorFiles.Read(Path.Combine(full, "base.fvecs"), 0).Select(p => p.Vector!)];
            float[][] all = [.. VectorFiles.Read(Path.Combine(full, "query.fvecs"), 0).Select(p => p.Vector!)];
            var key = $"fvecs-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{full}:{new FileInfo(Path.Combine(full, "base.fvecs")).Length}")))[..12]}";
            return new AnnDataset(key, train, all[..Math.Min(queries, all.Length)]);
        }

        if (name != "fashion-mnist")
        {
            throw new ArgumentException($"unknown dataset '{name}'; this build knows fashion-mnist and fvecs (with --dataset-dir holding base.fvecs and query.fvecs).");
        }

        var test = FashionMnist.Test(directory);
        return new AnnDataset(name, FashionMnist.Train(directory), test[..Math.Min(queries, test.Length)]);
    }

    /// <summary>The exact nearest ids (and squared L2 distances) of each query among the allowed base vectors.</summary>
    public (int[][] Ids, float[][] Distances) Truth(Func<int, bool>? allowed, string? cacheKey)
    {
        var cache = cacheKey is null ? null : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "roseforest", $"{Name}-{cacheKey}-q{Queries.Length}.truth");
        if (cache is not null && File.Exists(cache))
        {
            return ReadTruth(cache);
        }

        var mask = new bool[Train.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = allowed?.Invoke(i) ?? true;
        }

        var (ids, distances) = Exact(Train, Queries, TruthDepth, mask);
        if (cache is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
            WriteTruth(cache, ids, distances);
        }

        return (ids, distances);
    }

    /// <summary>
    /// The exact <paramref name="depth"/> nearest base rows (ids and squared L2 distances) of each
    /// query among those <paramref name="mask"/> allows (all when null): an exact scan, queries in parallel.
    /// </summary>
    public static (int[][] Ids, float[][] Distances) Exact(float[][] train, float[][] queries, int depth, bool[]? mask)
    {
        using var store = new VectorStore(train[0].Length, train.Length);
        for (var i = 0; i < train.Length; i++)
        {
            store.Set(i, train[i], 1);
        }

        var allowed = mask ?? Enumerable.Repeat(true, train.Length).ToArray();
        var ids = new int[queries.Length][];
        var distances = new float[queries.Length][];
        Parallel.For(0, queries.Length, q =>
        {
            var hits = FlatSearch.Search<EuclidSpace, MaskFilter, SlotOrder>(store, queries[q], 1, Math.Min(depth, train.Length), train.Length, new MaskFilter(allowed), default);
            ids[q] = [.. hits.Select(h => h.Slot)];
            distances[q] = [.. hits.Select(h => h.Distance)];
        });

        return (ids, distances);
    }

    /// <summary>
    /// recall@k as ann-benchmarks computes it: a returned item counts when its true distance is
    /// within the k-th true distance + 1e-3 (Euclidean distances, not squared).
    /// </summary>
    public double Recall(int[][] results, float[][] truthDistances, int k)
    {
        long hits = 0, total = 0;
        for (var q = 0; q < results.Length; q++)
        {
            var truth = truthDistances[q];
            if (truth.Length < k)
            {
                continue;
            }

            var threshold = Math.Sqrt(truth[k - 1]) + 1e-3;
            var returned = results[q];
            for (var i = 0; i < Math.Min(k, returned.Length); i++)
            {
                if (Math.Sqrt(GeometryMath.SquaredL2(Queries[q], Train[returned[i]])) <= threshold)
                {
                    hits++;
                }
            }

            total += k;
        }

        return total == 0 ? 0 : (double)hits / total;
    }

    private static void WriteTruth(string path, int[][] ids, float[][] distances)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(ids.Length);
        for (var q = 0; q < ids.Length; q++)
        {
            w.Write(ids[q].Length);
            w.Write(MemoryMarshal.AsBytes(ids[q].AsSpan()));
            w.Write(MemoryMarshal.AsBytes(distances[q].AsSpan()));
        }
    }

    private static (int[][], float[][]) ReadTruth(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        var n = r.ReadInt32();
        var ids = new int[n][];
        var distances = new float[n][];
        for (var q = 0; q < n; q++)
        {
            var k = r.ReadInt32();
            ids[q] = MemoryMarshal.Cast<byte, int>(r.ReadBytes(k * 4)).ToArray();
            distances[q] = MemoryMarshal.Cast<byte, float>(r.ReadBytes(k * 4)).ToArray();
        }

        return (ids, distances);
    }

    internal readonly struct MaskFilter(bool[] mask) : ISlotFilter
    {
        public bool Allows(int slot) => mask[slot];
    }
}
