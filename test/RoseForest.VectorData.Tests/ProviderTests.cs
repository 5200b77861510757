using Microsoft.Extensions.AI;

namespace RoseForest.VectorData.Tests;

/// <summary>
/// Conformance-style tests (after the MEVD conformance suite's collection management, CRUD, model,
/// distance function, embedding generation and hybrid search tests), run over the embedded engine
/// and over a real server through the REST client.
/// </summary>
public abstract class ProviderTests<TFixture>(TFixture fixture)
    where TFixture : DatabaseFixture
{
    protected IVectorDatabase Database => fixture.Database;

    protected RoseForestVectorStore Store() => new(Database);

    [Fact]
    public async Task Indexed_data_properties_become_payload_indexes_of_their_type()
    {
        var name = fixture.NewName("indexed");
        var collection = Store().GetCollection<ulong, Hotel>(name);
        await collection.EnsureCollectionExistsAsync();
        var schema = (await Database.GetCollectionInfoAsync(name)).PayloadSchema;
        Assert.Equal(["Description", "hotel_name"], schema.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(PayloadSchemaType.Keyword, schema["hotel_name"].Schema.Type);
        Assert.Equal(PayloadSchemaType.Text, schema["Description"].Schema.Type);

        // Filters through the indexes answer as before.
        await collection.UpsertAsync(Hotels());
        var wanted = Hotels()[0].Name;
        var expected = Hotels().Where(h => h.Name == wanted).Select(h => h.Id).Order().ToList();
        var found = await collection.GetAsync(h => h.Name == wanted, 100).Select(h => h.Id).OrderBy(id => id).ToListAsync();
        Assert.Equal(expected, found);
    }

    private static float[] Unit(params float[] v)
    {
        var n = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / n)];
    }

    internal static List<Hotel> Hotels() =>
    [
        new() { Id = 1, Name = "Rose", Rating = 5, Price = 120.5, Parking = true, Tags = ["garden", "quiet"], Amenities = ["pool"], Opened = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), Description = "A quiet hotel with a rose garden", Embedding = Unit(1, 0, 0, 0) },
        new() { Id = 2, Name = "Forest", Rating = 3, Price = 80, Parking = false, Tags = ["woods"], Amenities = ["sauna", "pool"], Opened = new DateTimeOffset(2010, 6, 1, 0, 0, 0, TimeSpan.Zero), Description = "Cabins deep in the forest", Embedding = Unit(0.9f, 0.1f, 0, 0) },
        new() { Id = 3, Name = null, Rating = 4, Price = 99.99, Parking = true, Tags = [], Amenities = [], Opened = new DateTimeOffset(2020, 3, 15, 12, 0, 0, TimeSpan.Zero), Description = "Nameless motel by the road", Embedding = Unit(0, 1, 0, 0) },
        new() { Id = 4, Name = "Harbour", Rating = 2, Price = 60, Parking = false, Tags = ["sea", "quiet"], Amenities = ["bar"], Opened = new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero), Description = "Rooms over the harbour bar", Embedding = Unit(0, 0, 1, 0) },
        new() { Id = 5, Name = "Summit", Rating = 5, Price = 300, Parking = true, Tags = ["mountain"], Amenities = ["spa", "pool"], Opened = new DateTimeOffset(2015, 8, 20, 0, 0, 0, TimeSpan.Zero), Description = "Luxury at the summit, with a rose terrace", Embedding = Unit(0.5f, 0.5f, 0.5f, 0.5f) },
    ];

    protected async Task<RoseForestCollection<ulong, Hotel>> HotelsAsync()
    {
        var collection = Store().GetCollection<ulong, Hotel>(fixture.NewName("hotels"));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(Hotels());
        return collection;
    }

    private static void AssertSameHotel(Hotel expected, Hotel actual, bool withVector)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Rating, actual.Rating);
        Assert.Equal(expected.Price, actual.Price);
        Assert.Equal(expected.Parking, actual.Parking);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Amenities, actual.Amenities);
        Assert.Equal(expected.Opened, actual.Opened);
        Assert.Equal(expected.Description, actual.Description);
        if (withVector)
        {
            Assert.NotNull(actual.Embedding);
            Assert.Equal(expected.Embedding!.Value.ToArray(), actual.Embedding!.Value.ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
        }
        else
        {
            Assert.Null(actual.Embedding);
        }
    }

    // ---- collection management ----

    [Fact]
    public async Task Collection_lifecycle_create_exists_list_delete()
    {
        var store = Store();
        var name = fixture.NewName("life");
        var collection = store.GetCollection<ulong, Hotel>(name);
        Assert.False(await collection.CollectionExistsAsync());
        Assert.False(await store.CollectionExistsAsync(name));

        await collection.EnsureCollectionExistsAsync();
        await collection.EnsureCollectionExistsAsync(); // a second call is a no-op
        Assert.True(await collection.CollectionExistsAsync());
        Assert.Contains(name, await store.ListCollectionNamesAsync().ToListAsync());

        await collection.EnsureCollectionDeletedAsync();
        Assert.False(await collection.CollectionExistsAsync());
        await collection.EnsureCollectionDeletedAsync(); // deleting what is gone is fine
        await store.EnsureCollectionDeletedAsync(name);
        Assert.DoesNotContain(name, await store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task A_single_vector_is_the_unnamed_vector_unless_named_vectors_are_asked_for()
    {
        var unnamed = Store().GetCollection<ulong, Hotel>(fixture.NewName("unnamed"));
        await unnamed.EnsureCollectionExistsAsync();
        var info = await Database.GetCollectionInfoAsync(unnamed.Name);
        Assert.Equal(4, info.Options!.Dimension);
        Assert.Empty(info.Options!.NamedVectors);

        var named = new RoseForestVectorStore(Database, new RoseForestVectorStoreOptions { HasNamedVectors = true }).GetCollection<ulong, Hotel>(fixture.NewName("named"));
        await named.EnsureCollectionExistsAsync();
        await named.UpsertAsync(Hotels());
        info = await Database.GetCollectionInfoAsync(named.Name);
        Assert.Equal(0, info.Options!.Dimension);
        Assert.Equal(Geometry.Cosine, info.Options!.NamedVectors["Embedding"].Distance);
        var hits = await named.SearchAsync(Unit(1, 0, 0, 0), 1).ToListAsync();
        Assert.Equal(1ul, hits[0].Record.Id);
    }

    [Fact]
    public async Task Storage_names_are_the_payload_keys_and_vector_names()
    {
        var collection = Store().GetCollection<ulong, TwoVectorRecord>(fixture.NewName("storage"));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new TwoVectorRecord { Key = 7, Label = "x", First = new float[] { 1, 2 }, Second = new float[] { 1, 2, 3 } });

        var info = await Database.GetCollectionInfoAsync(collection.Name);
        Assert.Equal(["Second", "first_vec"], info.Options!.NamedVectors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, info.Options!.NamedVectors["Second"].Hnsw?.M);

        var hotels = await HotelsAsync();
        var raw = await Database.GetCollection(hotels.Name).GetAsync([PointId.FromNumber(1)], PayloadSelector.All);
        var payload = raw[0].Payload!.Value;
        Assert.Equal("Rose", payload.GetProperty("hotel_name").GetString());
        Assert.False(payload.TryGetProperty("Name", out _));
        Assert.False(payload.TryGetProperty("Id", out _));
    }

    // ---- CRUD ----

    [Fact]
    public async Task Upsert_and_get_round_trip_every_data_type_with_and_without_vectors()
    {
        var collection = await HotelsAsync();
        var expected = Hotels();
        foreach (var hotel in expected)
        {
            AssertSameHotel(hotel, (await collection.GetAsync(hotel.Id))!, withVector: false);
            AssertSameHotel(hotel, (await collection.GetAsync(hotel.Id, new RecordRetrievalOptions { IncludeVectors = true }))!, withVector: true);
        }
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_null_and_a_batch_returns_only_the_found_records()
    {
        var collection = await HotelsAsync();
        Assert.Null(await collection.GetAsync(999));
        var batch = await collection.GetAsync([2ul, 999ul, 4ul]).ToListAsync();
        Assert.Equal([2ul, 4ul], batch.Select(h => h.Id).Order());
        Assert.Empty(await collection.GetAsync(Array.Empty<ulong>()).ToListAsync());
    }

    [Fact]
    public async Task Upsert_replaces_and_delete_removes_single_and_batch()
    {
        var collection = await HotelsAsync();
        var changed = Hotels()[0];
        changed.Name = "Rose II";
        changed.Tags = ["renamed"];
        await collection.UpsertAsync(changed);
        Assert.Equal("Rose II", (await collection.GetAsync(1))!.Name);
        Assert.Equal(["renamed"], (await collection.GetAsync(1))!.Tags);

        await collection.DeleteAsync(1);
        Assert.Null(await collection.GetAsync(1));
        await collection.DeleteAsync([2ul, 3ul, 12345ul]); // a missing key is ignored
        Assert.Equal([4ul, 5ul], (await collection.GetAsync([1ul, 2ul, 3ul, 4ul, 5ul]).ToListAsync()).Select(h => h.Id).Order());
        await collection.DeleteAsync(Array.Empty<ulong>());
    }

    [Fact]
    public async Task Every_supported_data_type_round_trips_with_its_value()
    {
        var collection = Store().GetCollection<Guid, AllTypesRecord>(fixture.NewName("types"));
        await collection.EnsureCollectionExistsAsync();
        var full = new AllTypesRecord
        {
            Key = Guid.NewGuid(), String = "s \"q\" ü", Int = int.MinValue, Long = long.MaxValue, Short = -7, Byte = 255,
            Double = 1.0 / 3, Float = 0.1f, Decimal = 12345.6789m, Bool = true, Guid = Guid.NewGuid(),
            DateTime = new DateTime(2024, 2, 29, 13, 14, 15, DateTimeKind.Utc), DateTimeOffset = new DateTimeOffset(2024, 2, 29, 13, 14, 15, TimeSpan.FromHours(2)),
            DateOnly = new DateOnly(1999, 12, 31), NullableInt = 5, NullableDate = DateTimeOffset.UnixEpoch,
            IntArray = [1, -2, 3], DoubleList = [0.5, -1e300], GuidList = [Guid.Empty, Guid.NewGuid()], Vector = [1, 2],
        };
        var empty = new AllTypesRecord { Key = Guid.NewGuid(), Vector = [3, 4] };
        await collection.UpsertAsync([full, empty]);

        var got = (await collection.GetAsync(full.Key))!;
        foreach (var property in typeof(AllTypesRecord).GetProperties().Where(p => p.Name != nameof(AllTypesRecord.Vector)))
        {
            var expected = property.GetValue(full);
            var actual = property.GetValue(got);
            if (expected is System.Collections.IEnumerable e and not string)
            {
                Assert.Equal(e.Cast<object>(), ((System.Collections.IEnumerable)actual!).Cast<object>());
            }
            else
            {
                Assert.Equal(expected, actual);
            }
        }

        var nulls = (await collection.GetAsync(empty.Key))!;
        Assert.Null(nulls.NullableInt);
        Assert.Null(nulls.NullableDate);
        Assert.Empty(nulls.IntArray);
    }

    [Fact]
    public async Task A_record_of_key_and_vector_only_round_trips_and_searches()
    {
        var collection = Store().GetCollection<ulong, KeyAndVectorOnly>(fixture.NewName("novdata"));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new KeyAndVectorOnly { Key = 1, Vector = new float[] { 0, 0 } }, new KeyAndVectorOnly { Key = 2, Vector = new float[] { 3, 4 } }]);
        var hits = await collection.SearchAsync(new float[] { 3, 3 }, 2, new() { IncludeVectors = true }).ToListAsync();
        Assert.Equal([2ul, 1ul], hits.Select(h => h.Record.Key));
        Assert.Equal(1, hits[0].Score!.Value, 5);
        Assert.Equal(new float[] { 3, 4 }, hits[0].Record.Vector.ToArray());
    }

    [Fact]
    public async Task Guid_keys_and_float_array_vectors_round_trip()
    {
        var collection = Store().GetCollection<Guid, GuidRecord>(fixture.NewName("guid"));
        await collection.EnsureCollectionExistsAsync();
        var records = Enumerable.Range(0, 4).Select(i => new GuidRecord { Key = Guid.NewGuid(), Text = $"t{i}", Vector = [i, i * 2, 1] }).ToList();
        await collection.UpsertAsync(records);

        var got = await collection.GetAsync(records[2].Key, new() { IncludeVectors = true });
        Assert.Equal("t2", got!.Text);
        Assert.Equal(records[2].Vector, got.Vector);

        var hits = await collection.SearchAsync(new float[] { 1, 2, 1 }, 2).ToListAsync();
        Assert.Equal(records[1].Key, hits[0].Record.Key);
        Assert.Equal(0, hits[0].Score!.Value, 5);
        Assert.Equal(Math.Sqrt(1 + 4), hits[1].Score!.Value, 4); // the true Euclidean distance to record 0 or 2
    }

    [Fact]
    public async Task Embedding_of_float_vectors_and_long_data_round_trip()
    {
        var collection = Store().GetCollection<ulong, EmbeddingRecord>(fixture.NewName("emb"));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new EmbeddingRecord { Key = 3, Count = long.MaxValue - 1, Vector = new Embedding<float>(new float[] { 1, 2, 3 }) });
        var got = await collection.GetAsync(3, new() { IncludeVectors = true });
        Assert.Equal(long.MaxValue - 1, got!.Count);
        Assert.Equal(new float[] { 1, 2, 3 }, got.Vector!.Vector.ToArray());
    }

    [Fact]
    public async Task Auto_generated_guid_keys_are_set_on_the_record()
    {
        var collection = Store().GetCollection<Guid, AutoKeyRecord>(fixture.NewName("auto"));
        await collection.EnsureCollectionExistsAsync();
        var record = new AutoKeyRecord { Text = "hello", Vector = new float[] { 1, 0 } };
        await collection.UpsertAsync(record);
        Assert.NotEqual(Guid.Empty, record.Key);
        Assert.Equal("hello", (await collection.GetAsync(record.Key))!.Text);
    }

    [Fact]
    public async Task Writes_to_a_missing_collection_throw_VectorStoreException_and_create_nothing()
    {
        var name = fixture.NewName("missing");
        var collection = Store().GetCollection<ulong, Hotel>(name);
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync(Hotels()));
        Assert.Equal(name, e.CollectionName);
        Assert.Equal("roseforest", e.VectorStoreSystemName);
        await Assert.ThrowsAsync<VectorStoreException>(() => collection.GetAsync(1));
        await Assert.ThrowsAsync<VectorStoreException>(async () => await collection.SearchAsync(Unit(1, 0, 0, 0), 1).ToListAsync());
        Assert.False(await collection.CollectionExistsAsync());
    }

    [Fact]
    public async Task A_vector_of_the_wrong_length_is_refused_and_writes_nothing()
    {
        var collection = await HotelsAsync();
        var bad = Hotels()[0];
        bad.Id = 77;
        bad.Embedding = new float[] { 1, 2, 3 };
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => collection.UpsertAsync([Hotels()[1], bad]));
        Assert.IsAssignableFrom<RoseForestException>(e.InnerException);
        Assert.Null(await collection.GetAsync(77));
    }

    // ---- search ----

    [Fact]
    public async Task Search_orders_by_similarity_with_top_skip_and_threshold()
    {
        var collection = await HotelsAsync();
        var query = Unit(1, 0.05f, 0, 0);
        var all = await collection.SearchAsync(query, 5).ToListAsync();
        var expectedOrder = Hotels().OrderByDescending(h => Dot(query, h.Embedding!.Value.Span)).Select(h => h.Id).ToList();
        Assert.Equal(expectedOrder, all.Select(r => r.Record.Id));
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(Dot(query, Hotels().Single(h => h.Id == all[i].Record.Id).Embedding!.Value.Span), all[i].Score!.Value, 4);
            Assert.Null(all[i].Record.Embedding);
        }

        var page = await collection.SearchAsync(query, 2, new() { Skip = 1 }).ToListAsync();
        Assert.Equal(expectedOrder.Skip(1).Take(2), page.Select(r => r.Record.Id));

        var threshold = all[2].Score!.Value - 1e-6;
        var above = await collection.SearchAsync(query, 5, new() { ScoreThreshold = threshold }).ToListAsync();
        Assert.Equal(expectedOrder.Take(3), above.Select(r => r.Record.Id));

        var withVectors = await collection.SearchAsync(query, 1, new() { IncludeVectors = true }).ToListAsync();
        Assert.NotNull(withVectors[0].Record.Embedding);
    }

    [Fact]
    public async Task Search_with_a_filter_returns_only_matching_records()
    {
        var collection = await HotelsAsync();
        var hits = await collection.SearchAsync(Unit(1, 0, 0, 0), 5, new() { Filter = h => h.Parking && h.Rating >= 4 }).ToListAsync();
        Assert.Equal([1ul, 5ul, 3ul], hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Search_picks_the_vector_property_of_a_record_with_several()
    {
        var collection = Store().GetCollection<ulong, TwoVectorRecord>(fixture.NewName("two"));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new TwoVectorRecord { Key = 1, Label = "a", First = new float[] { 1, 0 }, Second = new float[] { 10, 10, 10 } },
            new TwoVectorRecord { Key = 2, Label = "b", First = new float[] { 0, 1 }, Second = new float[] { 0, 0, 1 } },
        ]);
        var byFirst = await collection.SearchAsync(new float[] { 2, 0 }, 2, new() { VectorProperty = r => r.First }).ToListAsync();
        Assert.Equal([1ul, 2ul], byFirst.Select(r => r.Record.Key));
        Assert.Equal(2, byFirst[0].Score!.Value, 5); // dot product
        var bySecond = await collection.SearchAsync(new float[] { 0, 0, 0 }, 2, new() { VectorProperty = r => r.Second }).ToListAsync();
        Assert.Equal([2ul, 1ul], bySecond.Select(r => r.Record.Key));
        Assert.Equal(1, bySecond[0].Score!.Value, 5); // Manhattan distance
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await collection.SearchAsync(new float[] { 1, 0 }, 1).ToListAsync());

        var both = await collection.GetAsync(1, new() { IncludeVectors = true });
        Assert.Equal(new float[] { 10, 10, 10 }, both!.Second.ToArray());
        Assert.Equal(new float[] { 1, 0 }, both.First.ToArray());
    }

    [Fact]
    public async Task Get_with_a_filter_orders_by_a_property_and_skips()
    {
        var collection = await HotelsAsync();
        var byKey = await collection.GetAsync(h => h.Price > 70, 10).ToListAsync();
        Assert.Equal([1ul, 2ul, 3ul, 5ul], byKey.Select(h => h.Id));

        var byPrice = await collection.GetAsync(h => true, 3, new() { OrderBy = o => o.Descending(h => h.Price), Skip = 1 }).ToListAsync();
        Assert.Equal(Hotels().OrderByDescending(h => h.Price).Skip(1).Take(3).Select(h => h.Id), byPrice.Select(h => h.Id));

        var ascending = await collection.GetAsync(h => h.Parking, 10, new() { OrderBy = o => o.Ascending(h => h.Rating), IncludeVectors = true }).ToListAsync();
        Assert.Equal([3ul], ascending.Take(1).Select(h => h.Id));
        Assert.All(ascending, h => Assert.NotNull(h.Embedding));

        await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await collection.GetAsync(h => true, 3, new() { OrderBy = o => o.Ascending(h => h.Price).Descending(h => h.Rating) }).ToListAsync());
        var byName = await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await collection.GetAsync(h => true, 3, new() { OrderBy = o => o.Ascending(h => h.Name!) }).ToListAsync());
        Assert.Contains("Name", byName.Message);

        var byDate = await collection.GetAsync(h => true, 5, new() { OrderBy = o => o.Descending(h => h.Opened) }).ToListAsync();
        Assert.Equal(Hotels().OrderByDescending(h => h.Opened).Select(h => h.Id), byDate.Select(h => h.Id));
    }

    // ---- distance functions and index kinds ----

    public static TheoryData<string, double> DistanceCases => new()
    {
        // query (1, 0), stored (0.6, 0.8): cosine 0.6, dot 0.6, L2 sqrt(0.16 + 0.64), L1 1.2
        { DistanceFunction.CosineSimilarity, 0.6 },
        { DistanceFunction.CosineDistance, 0.4 },
        { DistanceFunction.DotProductSimilarity, 0.6 },
        { DistanceFunction.NegativeDotProductSimilarity, -0.6 },
        { DistanceFunction.EuclideanDistance, Math.Sqrt(0.8) },
        { DistanceFunction.EuclideanSquaredDistance, 0.8 },
        { DistanceFunction.ManhattanDistance, 1.2 },
    };

    [Theory]
    [MemberData(nameof(DistanceCases))]
    public async Task Each_supported_distance_function_scores_in_its_own_terms(string function, double expected)
    {
        var collection = Store().GetCollection<ulong, AutoRecordForDistance>(fixture.NewName("dist"), DistanceDefinition(function, null));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new AutoRecordForDistance { Key = 1, Vector = new float[] { 0.6f, 0.8f } }, new AutoRecordForDistance { Key = 2, Vector = new float[] { -1, 0 } }]);
        var hits = await collection.SearchAsync(new float[] { 1, 0 }, 2).ToListAsync();
        Assert.Equal(1ul, hits[0].Record.Key);
        Assert.Equal(expected, hits[0].Score!.Value, 4);

        // The threshold is in the same terms: it keeps record 1 and drops the opposite one.
        var similarity = function is DistanceFunction.CosineSimilarity or DistanceFunction.DotProductSimilarity;
        var kept = await collection.SearchAsync(new float[] { 1, 0 }, 2, new() { ScoreThreshold = similarity ? expected - 1e-4 : expected + 1e-4 }).ToListAsync();
        Assert.Equal([1ul], kept.Select(h => h.Record.Key));
    }

    [Fact]
    public async Task Unsupported_distance_functions_and_index_kinds_are_refused_before_creating_anything()
    {
        foreach (var (function, kind) in new[] { (DistanceFunction.HammingDistance, (string?)null), ("Chebyshev", null), (DistanceFunction.CosineSimilarity, IndexKind.DiskAnn) })
        {
            var collection = Store().GetCollection<ulong, AutoRecordForDistance>(fixture.NewName("bad"), DistanceDefinition(function, kind));
            var e = await Assert.ThrowsAsync<NotSupportedException>(() => collection.EnsureCollectionExistsAsync());
            Assert.Contains(kind ?? function, e.Message);
            Assert.False(await collection.CollectionExistsAsync());
        }
    }

    [Fact]
    public async Task Flat_index_and_hyperbolic_distance_work()
    {
        var collection = Store().GetCollection<ulong, AutoRecordForDistance>(fixture.NewName("poincare"), DistanceDefinition(RoseForestDistanceFunction.PoincareDistance, IndexKind.Flat));
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new AutoRecordForDistance { Key = 1, Vector = new float[] { 0.1f, 0 } }, new AutoRecordForDistance { Key = 2, Vector = new float[] { 0.9f, 0 } }]);
        var hits = await collection.SearchAsync(new float[] { 0, 0 }, 2).ToListAsync();
        Assert.Equal([1ul, 2ul], hits.Select(h => h.Record.Key));
        Assert.Equal(2 * Math.Atanh(0.1), hits[0].Score!.Value, 4); // d(0, x) = 2 artanh |x| on the unit ball
        Assert.Null((await Database.GetCollectionInfoAsync(collection.Name)).Options!.Hnsw);
    }

    public sealed class AutoRecordForDistance
    {
        public ulong Key { get; set; }

        public ReadOnlyMemory<float> Vector { get; set; }
    }

    private static VectorStoreCollectionDefinition DistanceDefinition(string function, string? indexKind) => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Key", typeof(ulong)),
            new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = function, IndexKind = indexKind },
        ],
    };

    // ---- bad definitions ----

    [Fact]
    public void Bad_definitions_are_refused_with_clear_errors()
    {
        var store = Store();
        Assert.Contains("ulong or Guid", Assert.Throws<NotSupportedException>(() => store.GetCollection<string, StringKeyRecord>("k")).Message);
        Assert.Contains("vector", Assert.ThrowsAny<Exception>(() => store.GetCollection<ulong, NoVectorRecord>("k")).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Inner", Assert.ThrowsAny<Exception>(() => store.GetCollection<ulong, NestedDataRecord>("k")).Message);
        Assert.Throws<ArgumentException>(() => store.GetCollection<ulong, Hotel>("bad name!"));
        Assert.Throws<NotSupportedException>(() => store.GetCollection<object, Dictionary<string, object?>>("k"));
        var e = Assert.ThrowsAny<InvalidOperationException>(() =>
            new RoseForestVectorStore(Database, new() { HasNamedVectors = false }).GetCollection<ulong, TwoVectorRecord>("k"));
        Assert.Contains("HasNamedVectors", e.Message);
    }

    // ---- dynamic records ----

    private static VectorStoreCollectionDefinition DynamicDefinition() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Key", typeof(ulong)),
            new VectorStoreDataProperty("Int", typeof(int)),
            new VectorStoreDataProperty("Name", typeof(string)) { StorageName = "name" },
            new VectorStoreDataProperty("Tags", typeof(string[])),
            new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = DistanceFunction.EuclideanDistance },
        ],
    };

    [Fact]
    public async Task Dynamic_records_round_trip_search_and_filter()
    {
        var collection = Store().GetDynamicCollection(fixture.NewName("dyn"), DynamicDefinition());
        await collection.EnsureCollectionExistsAsync();
        var records = Enumerable.Range(1, 4).Select(i => new Dictionary<string, object?>
        {
            ["Key"] = (ulong)i,
            ["Int"] = i * 10,
            ["Name"] = i == 2 ? null : $"n{i}",
            ["Tags"] = i % 2 == 0 ? new[] { "even" } : new[] { "odd", "x" },
            ["Vector"] = new ReadOnlyMemory<float>([i, 0]),
        }).ToList();
        await collection.UpsertAsync(records);

        var got = await collection.GetAsync((ulong)3, new() { IncludeVectors = true });
        Assert.Equal(3ul, got!["Key"]);
        Assert.Equal(30, got["Int"]);
        Assert.Equal("n3", got["Name"]);
        Assert.Equal(["odd", "x"], (string[])got["Tags"]!);
        Assert.Equal(new float[] { 3, 0 }, ((ReadOnlyMemory<float>)got["Vector"]!).ToArray());
        Assert.Null((await collection.GetAsync((ulong)2))!["Name"]);
        Assert.False((await collection.GetAsync((ulong)2))!.ContainsKey("Vector") && (await collection.GetAsync((ulong)2))!["Vector"] is not null);

        var hits = await collection.SearchAsync(new float[] { 2.2f, 0 }, 2, new() { Filter = r => (int)r["Int"]! > 10 && ((string[])r["Tags"]!).Contains("odd") }).ToListAsync();
        Assert.Equal([3ul], hits.Select(h => (ulong)h.Record["Key"]!));
        Assert.Equal(0.8, hits[0].Score!.Value, 4);

        var nullNames = await collection.GetAsync(r => r["Name"] == null, 10).ToListAsync();
        Assert.Equal([2ul], nullNames.Select(r => (ulong)r["Key"]!));

        await collection.DeleteAsync([(object)1ul, 2ul]);
        Assert.Equal(2, (await collection.GetAsync(r => true, 10).ToListAsync()).Count);
        Assert.Throws<NotSupportedException>(() => collection.GetAsync((object)"text").GetAwaiter().GetResult());
    }

    // ---- embedding generation ----

    [Fact]
    public async Task String_vector_properties_are_embedded_on_upsert_and_search()
    {
        var generator = new LetterCountGenerator();
        var store = new RoseForestVectorStore(Database, new() { EmbeddingGenerator = generator });
        var collection = store.GetCollection<ulong, TextRecord>(fixture.NewName("gen"));
        await collection.EnsureCollectionExistsAsync();
        var texts = new[] { "apple pie", "zebra zoo", "banana bread", "quick quiz" };
        await collection.UpsertAsync(texts.Select((t, i) => new TextRecord { Key = (ulong)i, Text = t, Embedding = t }));
        Assert.Equal(1, generator.Calls); // one call for the whole batch

        var hits = await collection.SearchAsync("zebras at the zoo", 1).ToListAsync();
        Assert.Equal(1ul, hits[0].Record.Key);
        Assert.Equal(2, generator.Calls);

        // The stored vector is the generated one: search by that vector finds the record with score 1.
        var exact = await collection.SearchAsync(LetterCountGenerator.Embed("banana bread"), 1).ToListAsync();
        Assert.Equal(2ul, exact[0].Record.Key);
        Assert.Equal(1, exact[0].Score!.Value, 4);

        await Assert.ThrowsAsync<NotSupportedException>(() => collection.GetAsync(1, new() { IncludeVectors = true }));
    }

    [Fact]
    public async Task Searching_with_text_and_no_generator_is_a_clear_error()
    {
        var collection = await HotelsAsync();
        var e = await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync("rose garden", 1).ToListAsync());
        Assert.Contains("string", e.Message);
    }

    [Fact]
    public async Task A_generator_on_a_native_vector_property_embeds_search_text()
    {
        var generator = new LetterCountGenerator();
        var definition = new VectorStoreCollectionDefinition
        {
            EmbeddingGenerator = generator,
            Properties = [new VectorStoreKeyProperty("Key", typeof(ulong)), new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 26)],
        };
        var collection = Store().GetCollection<ulong, AutoRecordForDistance>(fixture.NewName("native-gen"), definition);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([new AutoRecordForDistance { Key = 1, Vector = LetterCountGenerator.Embed("abc") }, new AutoRecordForDistance { Key = 2, Vector = LetterCountGenerator.Embed("xyz") }]);
        var hits = await collection.SearchAsync("zyx", 1).ToListAsync();
        Assert.Equal(2ul, hits[0].Record.Key);
    }

    // ---- hybrid search ----

    [Fact]
    public async Task Hybrid_search_lifts_records_that_contain_a_keyword()
    {
        var collection = await HotelsAsync();
        var query = Unit(0, 1, 0, 0.1f); // nearest: 3, then 5
        var plain = await collection.SearchAsync(query, 5).ToListAsync();
        Assert.Equal(3ul, plain[0].Record.Id);

        var hybrid = await collection.HybridSearchAsync(query, ["rose"], 5).ToListAsync();
        Assert.Equal(5ul, hybrid[0].Record.Id); // near and says "rose"
        Assert.Contains(1ul, hybrid.Take(3).Select(h => h.Record.Id));
        Assert.True(hybrid[0].Score > hybrid[^1].Score);

        var filtered = await collection.HybridSearchAsync(query, ["rose"], 5, new() { Filter = h => h.Rating < 5 }).ToListAsync();
        Assert.DoesNotContain(filtered, h => h.Record.Rating == 5);

        var paged = await collection.HybridSearchAsync(query, ["rose"], 2, new() { Skip = 1 }).ToListAsync();
        Assert.Equal(hybrid.Skip(1).Take(2).Select(h => h.Record.Id), paged.Select(h => h.Record.Id));
    }

    // ---- services ----

    [Fact]
    public async Task GetService_returns_metadata_the_database_and_itself()
    {
        var store = Store();
        Assert.Equal("roseforest", ((VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!).VectorStoreSystemName);
        Assert.Same(Database, store.GetService(typeof(IVectorDatabase)));
        Assert.Same(store, store.GetService(typeof(VectorStore)));
        Assert.Null(store.GetService(typeof(VectorStoreMetadata), "key"));
        var collection = await HotelsAsync();
        var metadata = (VectorStoreCollectionMetadata)collection.GetService(typeof(VectorStoreCollectionMetadata))!;
        Assert.Equal(collection.Name, metadata.CollectionName);
        Assert.Same(collection, collection.GetService(typeof(IKeywordHybridSearchable<Hotel>)));
        Assert.Null(collection.GetService(typeof(string)));
    }

    private static float Dot(float[] a, ReadOnlySpan<float> b)
    {
        var s = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }
}

public sealed class EmbeddedProviderTests(EmbeddedFixture fixture) : ProviderTests<EmbeddedFixture>(fixture), IClassFixture<EmbeddedFixture>;

public sealed class RemoteProviderTests(RemoteFixture fixture) : ProviderTests<RemoteFixture>(fixture), IClassFixture<RemoteFixture>;
