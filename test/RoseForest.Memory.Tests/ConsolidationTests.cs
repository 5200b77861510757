namespace RoseForest.Memory.Tests;

public class ConsolidationTests
{
    private static readonly MemoryScope Alice = Harness.User("alice");

    private static readonly string[] Coffee =
    [
        "morning coffee with oat milk at the desk",
        "coffee with oat milk at the desk this morning",
        "oat milk coffee at the desk in the morning",
        "morning coffee at the desk with oat milk again",
    ];

    [Fact]
    public async Task Episodes_that_repeat_become_a_searchable_semantic_pattern()
    {
        await using var h = Harness.Create(new MemoryOptions { Consolidation = new ConsolidationOptions { SimilarityThreshold = 0.5, MinClusterSize = 3 } });
        var members = new List<Guid>();
        foreach (var text in Coffee[..3])
        {
            members.Add(await h.AddAsync(text, Alice, MemoryKind.Episodic));
        }

        await h.AddAsync("filed the quarterly tax return online", Alice, MemoryKind.Episodic);

        var report = await h.Store.ConsolidateAsync(Alice);
        Assert.Equal(new ConsolidationReport(1, 0, 3, 4), report);

        var hits = await h.Store.SearchAsync(new SearchMemoryRequest { Query = "oat milk coffee", Scope = Alice, Kind = MemoryKind.Semantic });
        var pattern = Assert.Single(hits).Memory;
        Assert.Equal(members.Order(), pattern.Pattern!.Members.Order());
        Assert.Equal(1.0, pattern.Pattern.Confidence);
        Assert.Contains(pattern.Text, Coffee);
        Assert.Equal("consolidation", pattern.Metadata!.Value.GetProperty("source").GetString());
        foreach (var id in members)
        {
            Assert.Equal(pattern.Id, (await h.Store.GetAsync(id)).ConsolidatedInto);
        }
    }

    [Fact]
    public async Task A_second_run_is_incremental_and_updates_the_pattern()
    {
        await using var h = Harness.Create(new MemoryOptions { Consolidation = new ConsolidationOptions { SimilarityThreshold = 0.5, MinClusterSize = 3 } });
        foreach (var text in Coffee[..3])
        {
            await h.AddAsync(text, Alice, MemoryKind.Episodic);
        }

        await h.Store.ConsolidateAsync(Alice);
        Assert.Equal(new ConsolidationReport(0, 0, 0, 0), await h.Store.ConsolidateAsync(Alice));

        await h.AddAsync(Coffee[3], Alice, MemoryKind.Episodic);
        Assert.Equal(new ConsolidationReport(0, 1, 1, 1), await h.Store.ConsolidateAsync(Alice));
        var page = await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice, Kind = MemoryKind.Semantic });
        var pattern = Assert.Single(page.Memories);
        Assert.Equal(4, pattern.Pattern!.Members.Count);
        Assert.Equal(2, pattern.Version);
    }

    [Fact]
    public async Task Clusters_below_the_minimum_wait_and_the_background_job_runs_only_for_listed_scopes()
    {
        var bob = Harness.User("bob");
        await using var h = Harness.Create(new MemoryOptions
        {
            Consolidation = new ConsolidationOptions { Scopes = [Alice], Interval = TimeSpan.FromMinutes(5), SimilarityThreshold = 0.5, MinClusterSize = 3 },
        });
        foreach (var text in Coffee[..2])
        {
            await h.AddAsync(text, Alice, MemoryKind.Episodic);
            await h.AddAsync(text, bob, MemoryKind.Episodic);
        }

        Assert.Equal(new ConsolidationReport(0, 0, 0, 2), await h.Store.ConsolidateAsync(Alice));
        await h.AddAsync(Coffee[2], Alice, MemoryKind.Episodic);
        await h.AddAsync(Coffee[2], bob, MemoryKind.Episodic);

        h.Time.Advance(TimeSpan.FromMinutes(6));
        for (var i = 0; i < 100 && (await Patterns(h, Alice)) == 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, await Patterns(h, Alice));
        Assert.Equal(0, await Patterns(h, bob));
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var h = Harness.Create();
        foreach (var text in Coffee)
        {
            await h.AddAsync(text, Alice, MemoryKind.Episodic);
        }

        h.Time.Advance(TimeSpan.FromHours(2));
        await Task.Delay(50);
        Assert.Equal(0, await Patterns(h, Alice));
    }

    private static async Task<int> Patterns(Harness h, MemoryScope scope) =>
        (await h.Store.ListAsync(new ListMemoryRequest { Scope = scope, Kind = MemoryKind.Semantic })).Memories.Count(m => m.Pattern is not null);
}
