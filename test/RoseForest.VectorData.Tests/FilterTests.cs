using System.Linq.Expressions;

namespace RoseForest.VectorData.Tests;

public sealed class FilterRecord
{
    [VectorStoreKey]
    public ulong Key { get; set; }

    [VectorStoreData]
    public int Int { get; set; }

    [VectorStoreData]
    public int Int2 { get; set; }

    [VectorStoreData]
    public string? String { get; set; }

    [VectorStoreData]
    public bool Bool { get; set; }

    [VectorStoreData]
    public double Double { get; set; }

    [VectorStoreData]
    public float Float { get; set; }

    [VectorStoreData]
    public long Long { get; set; }

    [VectorStoreData]
    public DateTimeOffset Date { get; set; }

    [VectorStoreData]
    public Guid Guid { get; set; }

    [VectorStoreData]
    public DateTime Day { get; set; }

    [VectorStoreData]
    public string[] StringArray { get; set; } = [];

    [VectorStoreData]
    public List<string> StringList { get; set; } = [];

    [VectorStoreData]
    public int[] IntArray { get; set; } = [];

    [VectorStoreVector(3)]
    public ReadOnlyMemory<float> Vector { get; set; }
}

/// <summary>
/// One test per supported filter construct (after the MEVD conformance suite's FilterTests): the
/// records the provider returns are exactly those LINQ-to-objects selects from the same data, for a
/// filtered get and a filtered search, and for the dynamic form where it has one.
/// </summary>
public abstract class FilterTests<TFixture>(TFixture fixture)
    where TFixture : DatabaseFixture
{
    private static readonly Guid SomeGuid = new("6c1a77d4-6a6b-4b6f-9a5f-2f8e0f0c1d11");

    private int _memberField = 8;

    internal static List<FilterRecord> Data()
    {
        var strings = new[] { "foo", "bar", "baz", null, "foo bar", "some", "Foo", "with $om[ specia]\"chara<ters'and\\stuff" };
        var list = new List<FilterRecord>();
        for (var i = 0; i < 16; i++)
        {
            list.Add(new FilterRecord
            {
                Key = (ulong)(i + 1),
                Int = 5 + i % 7,
                Int2 = i * 10,
                String = strings[i % strings.Length],
                Bool = i % 3 == 0,
                Double = i * 1.5,
                Float = i * 0.1f,
                Long = (long)i << 40,
                Date = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i * 10),
                Guid = i == 5 ? SomeGuid : new Guid(i + 1, 0, 0, new byte[8]),
                Day = new DateTime(2021, 1, 1).AddDays(i * 7),
                StringArray = i % 4 == 0 ? [] : i % 2 == 0 ? ["x", "y"] : ["z"],
                StringList = i % 5 == 0 ? ["x"] : ["w", $"v{i}"],
                IntArray = [i, i + 100],
                Vector = new float[] { 1, i, i % 3 },
            });
        }

        return list;
    }

    private Task<RoseForestCollection<ulong, FilterRecord>> CollectionAsync() =>
        fixture.SharedAsync("filter", async () =>
        {
            var collection = new RoseForestVectorStore(fixture.Database).GetCollection<ulong, FilterRecord>(fixture.NewName("filter"));
            await collection.EnsureCollectionExistsAsync();
            await collection.UpsertAsync(Data());
            return collection;
        });

    private Task<RoseForestDynamicCollection> DynamicAsync() =>
        fixture.SharedAsync("filter-dynamic", async () =>
        {
            var definition = new VectorStoreCollectionDefinition
            {
                Properties =
                [
                    new VectorStoreKeyProperty("Key", typeof(ulong)),
                    new VectorStoreDataProperty("Int", typeof(int)),
                    new VectorStoreDataProperty("String", typeof(string)),
                    new VectorStoreDataProperty("Bool", typeof(bool)),
                    new VectorStoreDataProperty("StringArray", typeof(string[])),
                    new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 3),
                ],
            };
            var collection = new RoseForestVectorStore(fixture.Database).GetDynamicCollection(fixture.NewName("filter-dyn"), definition);
            await collection.EnsureCollectionExistsAsync();
            await collection.UpsertAsync(Data().Select(r => new Dictionary<string, object?>
            {
                ["Key"] = r.Key,
                ["Int"] = r.Int,
                ["String"] = r.String,
                ["Bool"] = r.Bool,
                ["StringArray"] = r.StringArray,
                ["Vector"] = r.Vector,
            }));
            return collection;
        });

    private async Task TestAsync(Expression<Func<FilterRecord, bool>> filter, Expression<Func<Dictionary<string, object?>, bool>>? dynamicFilter = null, bool allowEmpty = false)
    {
        var expected = Data().AsQueryable().Where(filter).Select(r => r.Key).Order().ToList();
        if (!allowEmpty)
        {
            Assert.NotEmpty(expected); // a filter test that selects nothing proves little
            Assert.NotEqual(Data().Count, expected.Count);
        }

        var collection = await CollectionAsync();
        var got = await collection.GetAsync(filter, 100).Select(r => r.Key).ToListAsync();
        Assert.Equal(expected, got.Order());

        var searched = await collection.SearchAsync(new float[] { 1, 1, 1 }, 100, new() { Filter = filter }).Select(r => r.Record.Key).ToListAsync();
        Assert.Equal(expected, searched.Order());

        if (dynamicFilter is not null)
        {
            var dynamic = await DynamicAsync();
            var dynamicGot = await dynamic.GetAsync(dynamicFilter, 100).Select(r => (ulong)r["Key"]!).ToListAsync();
            Assert.Equal(expected, dynamicGot.Order());
        }
    }

    [Fact]
    public Task Equal_with_int() => TestAsync(r => r.Int == 8, r => (int)r["Int"]! == 8);

    [Fact]
    public Task Equal_reversed() => TestAsync(r => 8 == r.Int, r => 8 == (int)r["Int"]!);

    [Fact]
    public Task Equal_with_string() => TestAsync(r => r.String == "foo", r => (string?)r["String"] == "foo");

    [Fact]
    public Task Equal_with_string_is_exact_not_contains_nor_case_insensitive() => TestAsync(r => r.String == "Foo");

    [Fact]
    public Task Equal_with_special_characters() => TestAsync(r => r.String == "with $om[ specia]\"chara<ters'and\\stuff");

    [Fact]
    public Task Equal_with_null() => TestAsync(r => r.String == null, r => r["String"] == null);

    [Fact]
    public Task Equal_with_captured_null()
    {
        string? s = null;
        return TestAsync(r => r.String == s);
    }

    [Fact]
    public Task Equal_with_nullable_int()
    {
        int? i = 8;
        return TestAsync(r => r.Int == i);
    }

    [Fact]
    public Task Equal_with_null_nullable_int_matches_nothing()
    {
        int? i = null;
        return TestAsync(r => r.Int == i, allowEmpty: true);
    }

    [Fact]
    public Task Equal_with_bool_double_float_long_date_and_guid() =>
        TestAsync(r => r.Bool == true || r.Double == 4.5 || r.Float == 0.3f || r.Long == 7L << 40 || r.Date == new DateTimeOffset(2020, 2, 10, 0, 0, 0, TimeSpan.Zero) || r.Guid == SomeGuid);

    [Fact]
    public Task Equal_on_the_key() => TestAsync(r => r.Key == 3);

    [Fact]
    public Task NotEqual_with_int() => TestAsync(r => r.Int != 8, r => (int)r["Int"]! != 8);

    [Fact]
    public Task NotEqual_with_string() => TestAsync(r => r.String != "foo", r => (string?)r["String"] != "foo");

    [Fact]
    public Task NotEqual_with_null() => TestAsync(r => r.String != null, r => r["String"] != null);

    [Fact]
    public Task Bool() => TestAsync(r => r.Bool, r => (bool)r["Bool"]!);

    [Fact]
    public Task Not_bool() => TestAsync(r => !r.Bool, r => !(bool)r["Bool"]!);

    [Fact]
    public Task GreaterThan() => TestAsync(r => r.Int > 9, r => (int)r["Int"]! > 9);

    [Fact]
    public Task GreaterThanOrEqual() => TestAsync(r => r.Int >= 9);

    [Fact]
    public Task LessThan() => TestAsync(r => r.Int < 7);

    [Fact]
    public Task LessThanOrEqual_reversed() => TestAsync(r => 7 >= r.Int);

    [Fact]
    public Task Range_on_doubles_longs_and_dates() =>
        TestAsync(r => r.Double > 3 && r.Double <= 15 && r.Long < 12L << 40 && r.Date >= new DateTimeOffset(2020, 2, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public Task Range_and_equality_on_a_DateTime_without_a_kind() =>
        TestAsync(r => r.Day >= new DateTime(2021, 2, 1) && r.Day != new DateTime(2021, 2, 19));

    [Fact]
    public Task Contains_over_an_empty_list_matches_nothing()
    {
        var none = new List<string?>();
        return TestAsync(r => none.Contains(r.String) || r.Int == 8);
    }

    [Fact]
    public Task False_matches_nothing() => TestAsync(r => false, allowEmpty: true);

    [Fact]
    public Task False_or_a_condition() => TestAsync(r => r.Int == 8 || false);

    [Fact]
    public Task And() => TestAsync(r => r.Int == 8 && r.String == "foo", r => (int)r["Int"]! == 8 && (string?)r["String"] == "foo", allowEmpty: true);

    [Fact]
    public Task Or() => TestAsync(r => r.Int == 8 || r.String == "foo", r => (int)r["Int"]! == 8 || (string?)r["String"] == "foo");

    [Fact]
    public Task And_within_Or() => TestAsync(r => (r.Int == 8 && r.Bool) || r.Int2 == 100);

    [Fact]
    public Task Or_within_And() => TestAsync(r => (r.Int == 8 || r.Int == 9) && r.String != "bar");

    [Fact]
    public Task Not_over_And() => TestAsync(r => !(r.Int == 8 && r.Bool));

    [Fact]
    public Task Not_over_Or() => TestAsync(r => !(r.Int == 8 || r.String == "foo"));

    [Fact]
    public Task Not_over_NotEqual() => TestAsync(r => !(r.Int != 8));

    [Fact]
    public Task Not_over_bool_And_comparison() => TestAsync(r => !r.Bool && r.Int != int.MaxValue);

    [Fact]
    public Task Contains_over_array_property() => TestAsync(r => r.StringArray.Contains("x"), r => ((string[])r["StringArray"]!).Contains("x"));

    [Fact]
    public Task Contains_over_list_property() => TestAsync(r => r.StringList.Contains("x"));

    [Fact]
    public Task Contains_over_int_array_property() => TestAsync(r => r.IntArray.Contains(103));

    [Fact]
    public Task Contains_over_inline_int_array() => TestAsync(r => new[] { 8, 10 }.Contains(r.Int), r => new[] { 8, 10 }.Contains((int)r["Int"]!));

    [Fact]
    public Task Contains_over_inline_string_array() => TestAsync(r => new[] { "foo", "baz", "unknown" }.Contains(r.String));

    [Fact]
    public Task Contains_over_captured_string_list()
    {
        var values = new List<string?> { "bar", "some" };
        return TestAsync(r => values.Contains(r.String));
    }

    [Fact]
    public Task Contains_over_captured_array_with_null()
    {
        var values = new[] { "bar", null };
        return TestAsync(r => values.Contains(r.String));
    }

    [Fact]
    public Task Contains_over_captured_keys()
    {
        var keys = new ulong[] { 2, 4, 99 };
        return TestAsync(r => keys.Contains(r.Key));
    }

    [Fact]
    public Task Any_with_Contains_over_captured_array()
    {
        var tags = new[] { "y", "nonexistent" };
        return TestAsync(r => r.StringArray.Any(t => tags.Contains(t)));
    }

    [Fact]
    public Task Any_over_list_with_Contains() => TestAsync(r => r.StringList.Any(t => new[] { "v3", "v7" }.Contains(t)));

    [Fact]
    public Task Member_field_and_nested_member_access()
    {
        var holder = new { Inner = new { Value = 9 } };
        return TestAsync(r => r.Int == _memberField || r.Int == holder.Inner.Value);
    }

    [Fact]
    public async Task True_returns_every_record()
    {
        var collection = await CollectionAsync();
        Assert.Equal(Data().Count, (await collection.GetAsync(r => true, 100).ToListAsync()).Count);
    }

    [Fact]
    public async Task Untranslatable_expressions_throw_NotSupportedException_naming_them()
    {
        var collection = await CollectionAsync();
        var startsWith = await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.GetAsync(r => r.String!.StartsWith("fo"), 10).ToListAsync());
        Assert.Contains("StartsWith", startsWith.Message);
        var length = await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.GetAsync(r => r.String!.Length > 2, 10).ToListAsync());
        Assert.Contains("Length", length.Message);
        var twoProperties = await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.GetAsync(r => r.Int == r.Int2, 10).ToListAsync());
        Assert.Contains("Int2", twoProperties.Message);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync(new float[] { 1, 1, 1 }, 3, new() { Filter = r => r.Int % 2 == 0 }).ToListAsync());
        var dynamic = await DynamicAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await dynamic.GetAsync(r => (string?)r["String = 'x'; DROP"] == "", 10).ToListAsync());
    }
}

public sealed class EmbeddedFilterTests(EmbeddedFixture fixture) : FilterTests<EmbeddedFixture>(fixture), IClassFixture<EmbeddedFixture>;

public sealed class RemoteFilterTests(RemoteFixture fixture) : FilterTests<RemoteFixture>(fixture), IClassFixture<RemoteFixture>;
