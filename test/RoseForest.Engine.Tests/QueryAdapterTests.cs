using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>Query adapters learned from feedback (issue 19): learning, forgetting, versions, persistence, bad input.</summary>
public class QueryAdapterTests
{
    private const int Dimension = 16;

    /// <summary>
    /// A seeded task whose raw geometry mixes its classes: class c has a weak signal on coordinate
    /// c and every point has strong noise on twelve nuisance coordinates, so a plain cosine search
    /// finds mostly other classes; a query adapter that amplifies the class coordinates fixes it.
    /// </summary>
    private sealed class Task4
    {
        public readonly List<(ulong Id, int Label, float[] Vector)> Docs = [];
        public readonly List<(int Label, float[] Vector)> Train = [];
        public readonly List<(int Label, float[] Vector)> Test = [];

        private readonly bool _conflicting;

        /// <param name="seed">The seed of everything.</param>
        /// <param name="conflicting">
        /// Classes 2 and 3 lie along e0 + e1 and −(e0 + e1) instead of their own coordinates, so
        /// the one direction a rank-1 adapter learns for classes 0/1 (e0 − e1) and for 2/3 (e0 + e1)
        /// conflict: learning the second task overwrites the first unless something holds it.
        /// </param>
        public Task4(int seed, bool conflicting = false, int docsPerClass = 60, int queriesPerClass = 25)
        {
            _conflicting = conflicting;
            const int classes = 4;
            var random = new Random(seed);
            ulong id = 1;
            for (var c = 0; c < classes; c++)
            {
                for (var i = 0; i < docsPerClass; i++)
                {
                    Docs.Add((id++, c, Sample(random, c)));
                }

                for (var i = 0; i < queriesPerClass; i++)
                {
                    Train.Add((c, Sample(random, c)));
                    Test.Add((c, Sample(random, c)));
                }
            }
        }

        private float[] Sample(Random random, int label)
        {
            var v = new float[Dimension];
            for (var i = 0; i < Dimension; i++)
            {
                v[i] = (float)(Gaussian(random) * (i < 4 ? 0.3 : 1.0));
            }

            if (_conflicting && label >= 2)
            {
                var sign = label == 2 ? 1 : -1;
                v[0] += sign * 0.85f;
                v[1] += sign * 0.85f;
            }
            else
            {
                v[label] += 1.2f;
            }

            return v;
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        public int LabelOf(PointId id) => Docs[(int)id.Number - 1].Label;
    }

    private static async Task<Collection> Fill(RoseForestDatabase db, Task4 task, string name = "c")
    {
        var c = await db.CreateCollectionAsync(name, new CollectionOptions { Dimension = Dimension, Geometry = Geometry.Cosine });
        await c.UpsertAsync([.. task.Docs.Select(d => new PointStruct(d.Id, d.Vector))]);
        return c;
    }

    private static async Task<double> PrecisionAt10(Collection c, Task4 task, IEnumerable<(int Label, float[] Vector)> queries, bool? adapter, string? tenant = null)
    {
        double hits = 0;
        var n = 0;
        foreach (var (label, vector) in queries)
        {
            var top = await c.QueryAsync(new QueryRequest { Vector = vector, Limit = 10, Exact = true, UseAdapter = adapter, AdapterTenant = tenant });
            hits += top.Count(p => task.LabelOf(p.Id) == label) / 10.0;
            n++;
        }

        return hits / n;
    }

    /// <summary>"Same class" marks on the top 10 of each training query, as a user would give them.</summary>
    private static async Task Train(Collection c, Task4 task, IEnumerable<(int Label, float[] Vector)> queries, int epochs, string? tenant = null)
    {
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (label, vector) in queries)
            {
                var top = await c.QueryAsync(new QueryRequest { Vector = vector, Limit = 10, Exact = true, UseAdapter = true, AdapterTenant = tenant });
                var relevant = top.Where(p => task.LabelOf(p.Id) == label).Select(p => p.Id).ToList();
                if (relevant.Count == 0)
                {
                    continue;
                }

                await c.FeedbackAsync(new FeedbackRequest
                {
                    Query = new DenseVector(vector),
                    Relevant = relevant,
                    Irrelevant = [.. top.Where(p => task.LabelOf(p.Id) != label).Select(p => p.Id)],
                    Tenant = tenant,
                });
            }
        }
    }

    [Fact]
    public async Task Feedback_raises_precision_at_10_on_a_task_the_raw_geometry_mixes()
    {
        var task = new Task4(seed: 7);
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await Fill(db, task);
        var before = await PrecisionAt10(c, task, task.Test, adapter: null);

        // Off by default: feedback trains, but queries that do not ask are unchanged.
        await Train(c, task, task.Train, epochs: 4);
        Assert.False(c.GetAdapters().Options.Enabled);
        Assert.Equal(before, await PrecisionAt10(c, task, task.Test, adapter: null));

        var after = await PrecisionAt10(c, task, task.Test, adapter: true);
        Assert.True(after >= before + 0.10, $"precision@10 {before:F3} -> {after:F3}");

        // Enabled: every query uses it; the per-request switch still turns it off.
        await c.ConfigureAdaptersAsync(new AdapterSettings { Enabled = true });
        Assert.Equal(after, await PrecisionAt10(c, task, task.Test, adapter: null));
        Assert.Equal(before, await PrecisionAt10(c, task, task.Test, adapter: false));

        // The legacy search route reads into the same query: it follows the setting too.
        var legacy = await c.SearchAsync(new SearchRequest { Vector = task.Test[0].Vector, Limit = 10, Exact = true });
        var adaptedQuery = await c.QueryAsync(new QueryRequest { Vector = task.Test[0].Vector, Limit = 10, Exact = true, UseAdapter = true });
        var plainQuery = await c.QueryAsync(new QueryRequest { Vector = task.Test[0].Vector, Limit = 10, Exact = true, UseAdapter = false });
        Assert.Equal(adaptedQuery.Select(p => (p.Id, p.Score)), legacy.Select(p => (p.Id, p.Score)));
        Assert.NotEqual(plainQuery.Select(p => (p.Id, p.Score)), legacy.Select(p => (p.Id, p.Score)));

        // The A/B fraction 0 sends every query that does not ask down the plain path.
        await c.ConfigureAdaptersAsync(new AdapterSettings { AbFraction = 0 });
        Assert.Equal(before, await PrecisionAt10(c, task, task.Test, adapter: null));
    }

    [Fact]
    public async Task Adapter_starts_as_the_identity()
    {
        var task = new Task4(seed: 3);
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await Fill(db, task);
        var query = task.Test[0].Vector;
        var plain = await c.QueryAsync(new QueryRequest { Vector = query, Limit = 10, Exact = true });

        // One update with learning rate ~0 leaves B at zero within float rounding: same results and scores.
        await c.ConfigureAdaptersAsync(new AdapterSettings { LearningRate = 1e-12 });
        await c.FeedbackAsync(new FeedbackRequest { Query = new DenseVector(query), Relevant = [plain[0].Id] });
        var adapted = await c.QueryAsync(new QueryRequest { Vector = query, Limit = 10, Exact = true, UseAdapter = true });
        Assert.Equal(plain.Select(p => p.Id), adapted.Select(p => p.Id));
        Assert.Equal(plain[0].Score, adapted[0].Score, 5);
    }

    private static async Task<(double Learned, double Forgetting)> TwoTasks(int seed, AdapterSettings settings)
    {
        var task = new Task4(seed, conflicting: true);
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await Fill(db, task);
        await c.ConfigureAdaptersAsync(settings);
        var a = task.Train.Where(q => q.Label < 2).ToList();
        var b = task.Train.Where(q => q.Label >= 2).ToList();
        var testA = task.Test.Where(q => q.Label < 2).ToList();
        await Train(c, task, a, epochs: 4);
        await c.ConsolidateAdapterAsync();
        var afterA = await PrecisionAt10(c, task, testA, adapter: true);
        await Train(c, task, b, epochs: 16);
        var afterB = await PrecisionAt10(c, task, testA, adapter: true);
        return (afterA, afterA - afterB);
    }

    [Fact]
    public async Task Ewc_and_replay_forget_less_of_the_first_task_than_plain_training()
    {
        var common = new AdapterSettings { Rank = 1, ConsolidateEvery = 0 };
        var plain = await TwoTasks(11, common with { EwcLambda = 0, ReplayCapacity = 0 });
        var guarded = await TwoTasks(11, common);
        Assert.True(plain.Forgetting > 0.05, $"plain training should forget task A here: {plain}");
        Assert.True(guarded.Forgetting < plain.Forgetting / 2, $"plain {plain}, with EWC and replay {guarded}");
    }

    private static async Task<List<(PointId Id, double Score)>> Answers(Collection c, Task4 task, bool? adapter = true, string? tenant = null)
    {
        var all = new List<(PointId, double)>();
        foreach (var (_, vector) in task.Test.Take(10))
        {
            all.AddRange((await c.QueryAsync(new QueryRequest { Vector = vector, Limit = 10, Exact = true, UseAdapter = adapter, AdapterTenant = tenant })).Select(p => (p.Id, p.Score)));
        }

        return all;
    }

    [Fact]
    public async Task Adapter_settings_weights_versions_and_replay_survive_reopen()
    {
        var task = new Task4(seed: 5);
        using var tmp = new TempDir();
        List<(PointId, double)> trained;
        AdapterInfo info;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = await Fill(db, task);
            await c.ConfigureAdaptersAsync(new AdapterSettings { Enabled = true, Rank = 3, ReplayCapacity = 50 });
            await Train(c, task, task.Train, epochs: 1);
            await c.ConsolidateAdapterAsync();
            await Train(c, task, task.Train.Take(10), epochs: 1); // after the last consolidation: saved on close
            trained = await Answers(c, task, adapter: null);
            info = c.GetAdapters();
        }

        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = db.GetCollection("c");
            var reopened = c.GetAdapters();
            Assert.Equal(info.Options, reopened.Options);
            var (before, after) = (Assert.Single(info.Adapters), Assert.Single(reopened.Adapters));
            Assert.Equal((before.Rank, before.Updates, before.Version, before.ReplaySize), (after.Rank, after.Updates, after.Version, after.ReplaySize));
            Assert.Equal(50, after.ReplaySize);
            Assert.Equal(before.Versions, after.Versions);
            Assert.Equal(trained, await Answers(c, task, adapter: null));
        }
    }

    [Fact]
    public async Task A_damaged_adapters_file_is_set_aside_and_the_collection_opens()
    {
        var task = new Task4(seed: 5);
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = await Fill(db, task);
            await Train(c, task, task.Train.Take(5), epochs: 1);
        }

        var file = Path.Combine(tmp.Path, "collections", "c", "adapters.bin");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var c = db.GetCollection("c");
            Assert.Empty(c.GetAdapters().Adapters);
            Assert.True(File.Exists(file + ".damaged"));
            Assert.Equal(10, (await c.QueryAsync(new QueryRequest { Vector = task.Test[0].Vector, Limit = 10, UseAdapter = true })).Count);
        }
    }

    [Fact]
    public async Task Rollback_restores_an_earlier_versions_answers()
    {
        var task = new Task4(seed: 9);
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await Fill(db, task);
        var plain = await Answers(c, task, adapter: false);
        await Train(c, task, task.Train.Take(40), epochs: 1);
        var v1 = await c.ConsolidateAdapterAsync();
        var atV1 = await Answers(c, task);
        await Train(c, task, task.Train.Skip(40), epochs: 2);
        var v2 = await c.ConsolidateAdapterAsync();
        var atV2 = await Answers(c, task);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.NotEqual(atV1, atV2);

        await c.RollbackAdapterAsync(1);
        Assert.Equal(atV1, await Answers(c, task));
        Assert.Equal(1, c.GetAdapters().Adapters[0].Version);
        await c.RollbackAdapterAsync(0);
        Assert.Equal(plain.Select(p => p.Id), (await Answers(c, task)).Select(p => p.Id));
        await c.RollbackAdapterAsync(2);
        Assert.Equal(atV2, await Answers(c, task));

        var missing = await Assert.ThrowsAsync<ValidationException>(() => c.RollbackAdapterAsync(7));
        Assert.Equal("version", missing.Field);
        Assert.Equal(atV2, await Answers(c, task));
    }

    [Fact]
    public async Task Tenants_train_their_own_adapter_and_fall_back_to_the_collections()
    {
        var task = new Task4(seed: 13);
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await Fill(db, task);
        var plain = await Answers(c, task, adapter: false);
        await Train(c, task, task.Train, epochs: 2, tenant: "acme");
        var acme = await Answers(c, task, tenant: "acme");
        Assert.NotEqual(plain, acme);

        // No collection-wide adapter yet: another tenant's queries are the plain ones.
        Assert.Equal(plain, await Answers(c, task, tenant: "other"));
        await Train(c, task, task.Train.Take(20), epochs: 1);
        var shared = await Answers(c, task);
        Assert.Equal(shared, await Answers(c, task, tenant: "other"));
        Assert.Equal(acme, await Answers(c, task, tenant: "acme"));
        Assert.Equal(["", "acme"], c.GetAdapters().Adapters.Select(a => a.Tenant));
    }

    [Fact]
    public async Task Bad_feedback_and_settings_are_refused_and_change_nothing()
    {
        var task = new Task4(seed: 2);
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await Fill(db, task);
        var q = new DenseVector(task.Test[0].Vector);

        async Task Refused(FeedbackRequest request, string field)
        {
            var e = await Assert.ThrowsAnyAsync<ValidationException>(() => c.FeedbackAsync(request));
            Assert.Equal(field, e.Field);
            Assert.Empty(c.GetAdapters().Adapters);
        }

        await Refused(new FeedbackRequest { Query = q }, "relevant");
        await Refused(new FeedbackRequest { Query = q, Relevant = [1, 99_999] }, "relevant[1]");
        await Refused(new FeedbackRequest { Query = q, Relevant = [1], Irrelevant = [2, 123_456] }, "irrelevant[1]");
        await Refused(new FeedbackRequest { Query = q, Relevant = [1], Irrelevant = [1] }, "irrelevant[0]");
        await Refused(new FeedbackRequest { Query = new DenseVector([1, 2, 3]), Relevant = [1] }, "query");
        await Refused(new FeedbackRequest { Query = q, Relevant = [1], Using = "nope" }, "using");
        await Refused(new FeedbackRequest { Query = new DocumentVector("text"), Relevant = [1] }, "query");

        var rank = await Assert.ThrowsAsync<ValidationException>(() => c.ConfigureAdaptersAsync(new AdapterSettings { Rank = 9, Enabled = true }));
        Assert.Equal("rank", rank.Field);
        Assert.Equal(new AdapterOptions(), c.GetAdapters().Options);
        await Assert.ThrowsAsync<ValidationException>(() => c.ConfigureAdaptersAsync(new AdapterSettings { Rank = 0 }));
        await Assert.ThrowsAsync<ValidationException>(() => c.ConfigureAdaptersAsync(new AdapterSettings { AbFraction = 1.5 }));
        Assert.Equal(new AdapterOptions(), c.GetAdapters().Options);

        // A trained adapter's rank changes only with reset, which starts again.
        await c.FeedbackAsync(new FeedbackRequest { Query = q, Relevant = [1] });
        await Assert.ThrowsAsync<ValidationException>(() => c.ConfigureAdaptersAsync(new AdapterSettings { Rank = 4 }));
        Assert.Equal(2, Assert.Single(c.GetAdapters().Adapters).Rank);
        await c.ConfigureAdaptersAsync(new AdapterSettings { Rank = 4, Reset = true });
        Assert.Empty(c.GetAdapters().Adapters);
        Assert.Equal(4, c.GetAdapters().Options.Rank);
        await Assert.ThrowsAsync<ValidationException>(() => c.ConsolidateAdapterAsync());
    }

    [Fact]
    public async Task Hyperbolic_collections_refuse_adapters_with_a_clear_error()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = await db.CreateCollectionAsync("h", new CollectionOptions { Dimension = 2, Geometry = Geometry.Poincare });
        await c.UpsertAsync([new PointStruct(1, [0.1f, 0.2f]), new PointStruct(2, [-0.3f, 0.1f])]);
        var e = await Assert.ThrowsAsync<ValidationException>(() => c.FeedbackAsync(new FeedbackRequest { Query = new DenseVector([0.1f, 0.1f]), Relevant = [1] }));
        Assert.Contains("Poincare", e.Message, StringComparison.Ordinal);
        Assert.Empty(c.GetAdapters().Adapters);
    }
}
