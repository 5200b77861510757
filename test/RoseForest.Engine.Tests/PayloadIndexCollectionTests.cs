using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Engine;

namespace RoseForest.Engine.Tests;

/// <summary>
/// Payload indexes inside collections: they survive reopening from the log alone, from a
/// snapshot and the log after it, and deletion; the planner's exact path (over the index's
/// matches) and graph path agree with brute force; per-value links keep recall for filters on
/// one value; conditions an index cannot answer are evaluated on payloads, as Qdrant does
/// outside strict mode; a text index's tokenizer applies to full-text filters.
/// </summary>
public class PayloadIndexCollectionTests
{
    private const int Dim = 16;

    private static CollectionOptions Options(long fullScanKb = 0, Durability durability = Durability.Sync) => new()
    {
        Dimension = Dim,
        Geometry = Geometry.Euclid,
        Durability = durability,
        Hnsw = new HnswOptions { M = 12, EfConstruct = 100, FullScanThreshold = fullScanKb, Ef = 64 },
    };

    private static JsonElement Json(object o) => JsonSerializer.SerializeToElement(o);

    private static PointStruct[] Points(float[][] data, Func<int, object> payload) =>
        [.. data.Select((v, i) => new PointStruct((ulong)i, v, Json(payload(i))))];

    private static async Task UpsertAsync(Collection col, PointStruct[] points)
    {
        foreach (var chunk in points.Chunk(500))
        {
            await col.UpsertAsync(chunk);
        }
    }

    [Fact]
    public async Task Index_survives_reopen_from_the_log_alone()
    {
        using var tmp = new TempDir();
        using var crashed = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.CreatePayloadIndexAsync("city", PayloadIndexParams.Of(PayloadSchemaType.Keyword));
            await col.UpsertAsync(Points(EmbeddingLikeData.Clustered(40, Dim, seed: 1), i => new { city = i % 4 == 0 ? "Berlin" : "Paris" }));
            await col.SetPayloadAsync(PointSelector.ById([1, 2]), Json(new { city = "Berlin" }));
            await col.DeleteAsync(PointSelector.ById([0]));
            RecoveryTests.CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(crashed.Path, "collections", "c"));
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(crashed.Path);
        var c = reopened.GetCollection("c");
        Assert.Null(c.Recovery!.SnapshotFile);
        var berlin = Filter.Where(Condition.Match("city", "Berlin"));
        Assert.True(c.PlanForTests(berlin).IsIndexed);
        Assert.Equal(11, await c.CountAsync(berlin)); // 0,4,…,36 without 0, and 1, 2
        Assert.Equal(new PayloadIndexInfo(PayloadIndexParams.Of(PayloadSchemaType.Keyword), 39), c.GetInfo().PayloadSchema["city"]);
    }

    [Fact]
    public async Task Indexes_survive_a_snapshot_and_the_log_after_it()
    {
        using var tmp = new TempDir();
        using var crashed = new TempDir();
        var text = new PayloadIndexParams(PayloadSchemaType.Text) { HasParams = true, Tokenizer = TokenizerType.Whitespace, Lowercase = false };
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.CreatePayloadIndexAsync("n", PayloadIndexParams.Of(PayloadSchemaType.Integer));
            await col.CreatePayloadIndexAsync("gone", PayloadIndexParams.Of(PayloadSchemaType.Bool));
            await col.UpsertAsync(Points(EmbeddingLikeData.Clustered(60, Dim, seed: 2), i => new { n = i, note = i % 2 == 0 ? "Foo-bar" : "foo bar", gone = true }));
            await col.CheckpointAsync();
            await col.DeletePayloadIndexAsync("gone");
            await col.CreatePayloadIndexAsync("note", text);
            await col.UpsertAsync(Points(EmbeddingLikeData.Clustered(10, Dim, seed: 3), i => new { n = 100 + i, note = "Foo-bar" }));
            RecoveryTests.CopyDirectory(Path.Combine(tmp.Path, "collections", "c"), Path.Combine(crashed.Path, "collections", "c"));
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(crashed.Path);
        var c = reopened.GetCollection("c");
        Assert.NotNull(c.Recovery!.SnapshotFile);
        var schema = c.GetInfo().PayloadSchema;
        Assert.Equal(["n", "note"], schema.Keys.Order());
        Assert.Equal(60, schema["n"].Points); // ids 0..9 were replaced by 100..109
        Assert.Equal(text, schema["note"].Schema);
        Assert.Equal(10, await c.CountAsync(Filter.Where(Condition.Range("n", gte: 100))));
        Assert.Equal(25 + 10, await c.CountAsync(Filter.Where(Condition.Text("note", "Foo-bar"))));
    }

    [Fact]
    public async Task A_deleted_index_stays_deleted_after_reopen_and_the_same_schema_again_changes_nothing()
    {
        using var tmp = new TempDir();
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            var col = await db.CreateCollectionAsync("c", Options());
            await col.UpsertAsync(Points(EmbeddingLikeData.Clustered(20, Dim, seed: 4), i => new { k = $"v{i % 3}" }));
            var first = await col.CreatePayloadIndexAsync("k", PayloadIndexParams.Of(PayloadSchemaType.Keyword));
            var again = await col.CreatePayloadIndexAsync("k", PayloadIndexParams.Of(PayloadSchemaType.Keyword));
            Assert.True(again.OperationId > first.OperationId);
            Assert.Equal(PayloadSchemaType.Keyword, col.GetInfo().PayloadSchema["k"].Schema.Type);

            // Another schema replaces the index; deleting it twice is fine.
            await col.CreatePayloadIndexAsync("k", new PayloadIndexParams(PayloadSchemaType.Keyword) { HasParams = true, IsTenant = true });
            Assert.True(col.GetInfo().PayloadSchema["k"].Schema.IsTenant);
            await col.DeletePayloadIndexAsync("k");
            await col.DeletePayloadIndexAsync("k");
            Assert.Empty(col.GetInfo().PayloadSchema);
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(tmp.Path);
        Assert.Empty(reopened.GetCollection("c").GetInfo().PayloadSchema);
    }

    [Fact]
    public async Task Planner_scores_only_the_index_matches_when_few_points_match()
    {
        using var tmp = new TempDir();
        var data = EmbeddingLikeData.Clustered(3000, Dim, seed: 5);
        var queries = EmbeddingLikeData.Clustered(20, Dim, seed: 6);
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);

        // 32 KiB of 16-d floats: 512 points. The rare tag has 60.
        var col = await db.CreateCollectionAsync("c", Options(fullScanKb: 32, Durability.Memory));
        Func<int, object> payload = i => new { tag = i % 50 == 0 ? "rare" : "common", n = i };
        await UpsertAsync(col, Points(data, payload));
        await col.CreatePayloadIndexAsync("tag", PayloadIndexParams.Of(PayloadSchemaType.Keyword));
        var filter = Filter.Where(Condition.Match("tag", "rare"));
        foreach (var q in queries)
        {
            var found = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Filter = filter });
            Assert.Equal(Collection.SearchPath.ExactOverIndex, Collection.LastSearchPathForTests);
            Assert.Equal(BruteForce(data, payload, q, filter, 10), found.Select(f => f.Id));
        }
    }

    [Fact]
    public async Task Planner_walks_the_graph_restricted_to_the_index_matches_when_many_points_match()
    {
        using var tmp = new TempDir();
        var data = EmbeddingLikeData.Clustered(3000, Dim, seed: 7);
        var queries = EmbeddingLikeData.Clustered(40, Dim, seed: 8);
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options(fullScanKb: 32, Durability.Memory));
        Func<int, object> payload = i => new { n = i % 10, other = i % 7 };
        await UpsertAsync(col, Points(data, payload));
        await col.CreatePayloadIndexAsync("n", PayloadIndexParams.Of(PayloadSchemaType.Integer));

        var indexed = Filter.Where(Condition.Range("n", lt: 4));
        Assert.True(await RecallAsync(col, data, payload, queries, indexed, Collection.SearchPath.RestrictedGraph) >= 0.95);

        // A filter on a field without an index walks the graph as before, every node steering.
        var unindexed = Filter.Where(Condition.Range("other", lt: 3));
        Assert.True(await RecallAsync(col, data, payload, queries, unindexed, Collection.SearchPath.Graph) >= 0.95);
    }

    [Fact]
    public async Task A_filter_with_indexed_and_payload_conditions_walks_the_points_the_indexed_part_allows()
    {
        using var tmp = new TempDir();
        var data = EmbeddingLikeData.Clustered(3000, Dim, seed: 12);
        var queries = EmbeddingLikeData.Clustered(40, Dim, seed: 13);
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options(fullScanKb: 32, Durability.Memory));
        Func<int, object> payload = i => new { n = i % 10, other = i % 7 };
        await UpsertAsync(col, Points(data, payload));
        await col.CreatePayloadIndexAsync("n", PayloadIndexParams.Of(PayloadSchemaType.Integer));

        // "other" has no index: the walk keeps to n < 4 and tests other < 3 on its results.
        var mixed = Filter.Where(Condition.Range("n", lt: 4), Condition.Range("other", lt: 3));
        var plan = col.PlanForTests(mixed);
        Assert.False(plan.IsIndexed);
        Assert.NotNull(plan.Restriction);
        Assert.True(await RecallAsync(col, data, payload, queries, mixed, Collection.SearchPath.RestrictedGraph) >= 0.95);

        // The same inside nested filters, and with an indexed must_not beside a payload should.
        var nested = new Filter(
            must: [Condition.Nested(Filter.Where(Condition.Range("n", gte: 2))), Condition.Nested(new Filter(should: [Condition.Match("other", FilterValue.Integer(1)), Condition.Match("other", FilterValue.Integer(2))]))],
            mustNot: [Condition.Match("n", FilterValue.Integer(5))]);
        Assert.NotNull(col.PlanForTests(nested).Restriction);
        Assert.True(await RecallAsync(col, data, payload, queries, nested, Collection.SearchPath.RestrictedGraph) >= 0.95);

        // No indexed part: nothing to restrict to, the walk steers through every point.
        Assert.Null(col.PlanForTests(Filter.Where(Condition.Range("other", lt: 3))).Restriction);
    }

    [Fact]
    public async Task Every_filtered_path_of_the_query_api_uses_the_payload_indexes()
    {
        using var tmp = new TempDir();
        var data = EmbeddingLikeData.Clustered(3000, Dim, seed: 14);
        var queries = EmbeddingLikeData.Clustered(10, Dim, seed: 15);
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options(fullScanKb: 32, Durability.Memory));
        Func<int, object> payload = i => new { n = i % 10, g = $"g{i % 6}" };
        await UpsertAsync(col, Points(data, payload));
        await col.CreatePayloadIndexAsync("n", PayloadIndexParams.Of(PayloadSchemaType.Integer));
        var filter = Filter.Where(Condition.Range("n", lt: 4));
        bool Allowed(PointId id) => filter.Matches(id, Json(payload((int)id.Number)));

        double nearest = 0, prefetched = 0;
        foreach (var q in queries)
        {
            var truth = BruteForce(data, payload, q, filter, 10).ToHashSet();

            // nearest with a filter
            var found = await col.QueryAsync(new QueryRequest { Query = new NearestQuery(q), Filter = filter, Limit = 10 });
            Assert.Equal(Collection.SearchPath.RestrictedGraph, Collection.LastSearchPathForTests);
            nearest += (double)found.Count(f => truth.Contains(f.Id)) / truth.Count;

            // a prefetch's filter (the rescoring stage scores only what the prefetch found)
            var rescored = await col.QueryAsync(new QueryRequest { Prefetch = [new Prefetch { Query = new NearestQuery(q), Filter = filter, Limit = 40 }], Query = new NearestQuery(q), Limit = 10 });
            Assert.Equal(Collection.SearchPath.RestrictedGraph, Collection.LastSearchPathForTests);
            prefetched += (double)rescored.Count(f => truth.Contains(f.Id)) / truth.Count;

            // recommend (average vector) with a filter
            var recommended = await col.QueryAsync(new QueryRequest { Query = new RecommendQuery([q], []), Filter = filter, Limit = 10 });
            Assert.Equal(Collection.SearchPath.RestrictedGraph, Collection.LastSearchPathForTests);
            Assert.Equal(10, recommended.Count);
            Assert.All(recommended, r => Assert.True(Allowed(r.Id)));

            // groups: the filter gains "group_by is not empty", a payload condition; the walk still keeps to the index's matches
            var groups = await col.QueryGroupsAsync(new QueryGroupsRequest { Query = new QueryRequest { Query = new NearestQuery(q), Filter = filter }, GroupBy = "g", GroupSize = 2, Limit = 3 });
            Assert.Equal(Collection.SearchPath.RestrictedGraph, Collection.LastSearchPathForTests);
            Assert.Equal(3, groups.Count);
            Assert.All(groups, g => Assert.All(g.Hits, h => Assert.True(Allowed(h.Id))));
        }

        Assert.True(nearest / queries.Length >= 0.95, $"nearest recall {nearest / queries.Length}");
        Assert.True(prefetched / queries.Length >= 0.95, $"prefetch recall {prefetched / queries.Length}");

        // facet counts and scroll through the postings of the filter's index agree with the payloads
        var facet = await col.FacetAsync(new FacetRequest { Key = "g", Filter = filter, Limit = 10 });
        var expected = Enumerable.Range(0, data.Length).Where(i => Allowed((ulong)i)).GroupBy(i => $"g{i % 6}").ToDictionary(x => x.Key, x => (long)x.Count());
        Assert.Equal(expected.Count, facet.Count);
        Assert.All(facet, h => Assert.Equal(expected[h.Value.ToString()!], h.Count));
        var ordered = await col.QueryAsync(new QueryRequest { Filter = filter, Limit = 25 });
        Assert.Equal(Enumerable.Range(0, data.Length).Where(i => Allowed((ulong)i)).Take(25).Select(i => PointId.FromNumber((ulong)i)), ordered.Select(p => p.Id));
    }

    [Fact]
    public async Task Per_value_links_keep_recall_for_single_value_filters_and_survive_reopen()
    {
        using var tmp = new TempDir();
        var data = EmbeddingLikeData.Clustered(4000, Dim, seed: 9);
        var queries = EmbeddingLikeData.Clustered(40, Dim, seed: 10);
        var tags = new Random(11);
        var tagOf = Enumerable.Range(0, data.Length).Select(_ => $"t{tags.Next(8)}").ToArray();
        Func<int, object> payload = i => new { tag = tagOf[i] };
        var filter = Filter.Where(Condition.Match("tag", "t3"));
        double before;
        await using (var db = await RoseForestDatabase.OpenAsync(tmp.Path))
        {
            // 25 KiB of 16-d floats: 400 points; each tag (about 500 random points) gets a block.
            var col = await db.CreateCollectionAsync("c", Options(fullScanKb: 25));
            await UpsertAsync(col, Points(data, payload));
            await col.CreatePayloadIndexAsync("tag", PayloadIndexParams.Of(PayloadSchemaType.Keyword));
            Assert.Equal(8, col.ValueLinksForTests("tag")!.BlockCount);
            before = await RecallAsync(col, data, payload, queries, filter, Collection.SearchPath.RestrictedGraph);
            Assert.True(before >= 0.95, $"recall {before}");
        }

        await using var reopened = await RoseForestDatabase.OpenAsync(tmp.Path);
        var c = reopened.GetCollection("c");
        Assert.Equal(0, c.Recovery!.PointsIndexed);
        Assert.Equal(8, c.ValueLinksForTests("tag")!.BlockCount);
        var after = await RecallAsync(c, data, payload, queries, filter, Collection.SearchPath.RestrictedGraph);
        Assert.True(after >= before - 0.01, $"recall {after} after reopen, {before} before");
    }

    [Fact]
    public async Task Conditions_an_index_cannot_answer_are_evaluated_on_the_payload()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options(durability: Durability.Memory));
        object[] values = [5, "5", 5.5, "abc", true, new[] { 5, 7 }];
        await col.UpsertAsync([.. values.Select((v, i) => new PointStruct((ulong)i, new float[Dim], Json(new Dictionary<string, object> { ["v"] = v })))]);
        var matchInt = Filter.Where(Condition.Match("v", FilterValue.Integer(5)));
        var range = Filter.Where(Condition.Range("v", gte: 5, lte: 6));
        var before = (await col.CountAsync(matchInt), await col.CountAsync(range));
        Assert.Equal((2L, 3L), before);

        // A keyword index cannot answer an integer match or a range: the payload does, as before.
        await col.CreatePayloadIndexAsync("v", PayloadIndexParams.Of(PayloadSchemaType.Keyword));
        Assert.False(col.PlanForTests(matchInt).IsIndexed);
        Assert.False(col.PlanForTests(range).IsIndexed);
        Assert.Equal(before, (await col.CountAsync(matchInt), await col.CountAsync(range)));
        Assert.Equal(1, await col.CountAsync(Filter.Where(Condition.Match("v", "5"))));
    }

    [Fact]
    public async Task A_text_index_tokenizer_applies_to_full_text_filters()
    {
        using var tmp = new TempDir();
        await using var db = await RoseForestDatabase.OpenAsync(tmp.Path);
        var col = await db.CreateCollectionAsync("c", Options(durability: Durability.Memory));
        string[] notes = ["Foo-bar baz", "foo bar", "quxes and quibbles"];
        await col.UpsertAsync([.. notes.Select((n, i) => new PointStruct((ulong)i, new float[Dim], Json(new { note = n })))]);
        var foo = Filter.Where(Condition.Text("note", "foo"));
        Assert.Equal(2, await col.CountAsync(foo)); // the default: words, lowercased

        await col.CreatePayloadIndexAsync("note", new PayloadIndexParams(PayloadSchemaType.Text) { HasParams = true, Tokenizer = TokenizerType.Whitespace, Lowercase = false });
        Assert.Equal(1, await col.CountAsync(foo)); // "foo" is a whitespace token of "foo bar" only
        Assert.Equal(1, await col.CountAsync(Filter.Where(Condition.Text("note", "Foo-bar"))));
        Assert.Equal(1, await col.CountAsync(Filter.Where(Condition.Phrase("note", "foo bar"))));

        await col.CreatePayloadIndexAsync("note", new PayloadIndexParams(PayloadSchemaType.Text) { HasParams = true, Tokenizer = TokenizerType.Prefix, MinTokenLen = 2 });
        Assert.Equal(1, await col.CountAsync(Filter.Where(Condition.Text("note", "qui"))));
        Assert.Equal(2, await col.CountAsync(Filter.Where(Condition.Text("note", "ba"))));
    }

    private static async Task<double> RecallAsync(Collection col, float[][] data, Func<int, object> payload, float[][] queries, Filter filter, Collection.SearchPath expectedPath)
    {
        double total = 0;
        foreach (var q in queries)
        {
            var found = await col.SearchAsync(new SearchRequest { Vector = q, Limit = 10, Filter = filter });
            Assert.Equal(expectedPath, Collection.LastSearchPathForTests);
            var truth = BruteForce(data, payload, q, filter, 10).ToHashSet();
            total += (double)found.Count(f => truth.Contains(f.Id)) / truth.Count;
        }

        return total / queries.Length;
    }

    /// <summary>The k nearest points passing the filter, by squared L2 over the raw data (ties by id).</summary>
    private static List<PointId> BruteForce(float[][] data, Func<int, object> payload, float[] query, Filter filter, int k) =>
        [.. Enumerable.Range(0, data.Length)
            .Where(i => filter.Matches((ulong)i, Json(payload(i))))
            .Select(i => (Id: (ulong)i, D: data[i].Zip(query, (a, b) => (double)(a - b) * (a - b)).Sum()))
            .OrderBy(x => x.D).ThenBy(x => x.Id)
            .Take(k)
            .Select(x => PointId.FromNumber(x.Id))];
}
