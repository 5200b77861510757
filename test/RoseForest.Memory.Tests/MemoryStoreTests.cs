using System.Text.Json;
using RoseForest.Core.Filters;

namespace RoseForest.Memory.Tests;

public class MemoryStoreTests
{
    private static readonly MemoryScope Alice = Harness.User("alice");
    private static readonly MemoryScope Bob = Harness.User("bob");

    [Fact]
    public async Task Add_then_get_returns_the_memory_with_its_scope_kind_version_and_times()
    {
        await using var h = Harness.Create();
        var id = await h.AddAsync("The user prefers green tea", Alice with { AgentId = "coach" }, metadata: """{"topic":"drinks"}""");

        var memory = await h.Store.GetAsync(id);
        Assert.Equal("The user prefers green tea", memory.Text);
        Assert.Equal(MemoryKind.Semantic, memory.Kind);
        Assert.Equal(new MemoryScope("alice", "coach"), memory.Scope);
        Assert.Equal("drinks", memory.Metadata!.Value.GetProperty("topic").GetString());
        Assert.Equal(1, memory.Version);
        Assert.Equal(Harness.Start, memory.CreatedAt);
        Assert.Equal(Harness.Start, memory.ValidFrom);
        Assert.Null(memory.ValidTo);
        Assert.Null(memory.ExpiredAt);
        Assert.Equal(1, memory.AccessCount);
    }

    [Fact]
    public async Task Every_call_that_reads_or_writes_a_scope_needs_at_least_one_id()
    {
        await using var h = Harness.Create();
        var none = new MemoryScope();
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "x", Scope = none }));
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.SearchAsync(new SearchMemoryRequest { Query = "x", Scope = none }));
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.ListAsync(new ListMemoryRequest { Scope = none }));
        var e = await Assert.ThrowsAsync<ValidationException>(() => h.Store.DeleteAllAsync(none));
        Assert.Contains("user_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_changes_nothing()
    {
        await using var h = Harness.Create();
        await h.AddAsync("kept", Alice);
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = " ", Scope = Alice }));
        var metadata = await Assert.ThrowsAsync<ValidationException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "x", Scope = Alice, Metadata = Harness.Json("[1]") }));
        Assert.Equal("metadata", metadata.Field);
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "replacement", Scope = Alice, Supersedes = [Guid.NewGuid()] }));
        var times = await Assert.ThrowsAsync<ValidationException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "x", Scope = Alice, ValidFrom = Harness.Start, ValidTo = Harness.Start }));
        Assert.Equal("valid_to", times.Field);

        var page = await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice });
        Assert.Equal(["kept"], page.Memories.Select(m => m.Text));
        Assert.Equal(1, h.Store.KeywordIndex.Count);
    }

    [Fact]
    public async Task A_near_duplicate_in_the_same_scope_merges_but_not_across_scopes_or_for_episodes()
    {
        await using var h = Harness.Create();
        var first = await h.AddAsync("The user prefers green tea", Alice, metadata: """{"a":1}""");
        var again = await h.Store.AddAsync(new AddMemoryRequest { Text = "the user prefers green tea!", Scope = Alice, Metadata = Harness.Json("""{"b":2}""") });
        Assert.Equal(new MemoryEvent(first, "merge", "The user prefers green tea"), again.Single());

        var merged = await h.Store.GetAsync(first);
        Assert.Equal(2, merged.Mentions);
        Assert.Equal(1, merged.Version);
        Assert.Equal("""{"a":1,"b":2}""", merged.Metadata!.Value.GetRawText());

        Assert.NotEqual(first, await h.AddAsync("The user prefers green tea", Alice with { AgentId = "coach" }));
        Assert.NotEqual(first, await h.AddAsync("The user prefers green tea", Bob));
        var e1 = await h.AddAsync("Drank green tea", Alice, MemoryKind.Episodic);
        var e2 = await h.AddAsync("Drank green tea", Alice, MemoryKind.Episodic);
        Assert.NotEqual(e1, e2);
    }

    [Fact]
    public async Task Update_creates_a_version_and_history_says_who_and_when()
    {
        await using var h = Harness.Create();
        var id = await h.AddAsync("Meeting on Monday", Alice);
        h.Time.Advance(TimeSpan.FromHours(1));
        var updated = await h.Store.UpdateAsync(new UpdateMemoryRequest { Id = id, Text = "Meeting on Tuesday", Metadata = Harness.Json("""{"room":"B"}"""), Actor = "agent-7" });
        Assert.Equal(2, updated.Version);
        Assert.Equal("Meeting on Tuesday", updated.Text);

        var history = await h.Store.HistoryAsync(id);
        Assert.Equal(["add", "update"], history.Select(v => v.Event));
        Assert.Equal(["Meeting on Monday", "Meeting on Tuesday"], history.Select(v => v.Text));
        Assert.Equal([Harness.Start, Harness.Start.AddHours(1)], history.Select(v => v.At));
        Assert.Equal(["api", "agent-7"], history.Select(v => v.By));

        var hits = await h.SearchAsync("meeting tuesday", Alice);
        Assert.Equal(id, hits[0].Memory.Id);
        Assert.Empty(await h.SearchAsync("monday", Alice));
    }

    [Fact]
    public async Task Episodic_memories_are_append_only()
    {
        await using var h = Harness.Create();
        var id = await h.AddAsync("Said hello", Alice, MemoryKind.Episodic);
        var e = await Assert.ThrowsAsync<ValidationException>(() => h.Store.UpdateAsync(new UpdateMemoryRequest { Id = id, Text = "Said goodbye" }));
        Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
        Assert.Equal("Said hello", (await h.Store.GetAsync(id)).Text);
    }

    [Fact]
    public async Task Scopes_isolate_reads_and_deletes()
    {
        await using var h = Harness.Create();
        var alices = await h.AddAsync("Alice's locker code is 4711", Alice);
        var bobs = await h.AddAsync("Bob's locker code is 1234", Bob);

        Assert.Equal([alices], (await h.SearchAsync("locker code", Alice)).Select(x => x.Memory.Id));
        Assert.Equal([bobs], (await h.SearchAsync("locker code", Bob)).Select(x => x.Memory.Id));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => h.Store.GetAsync(alices, within: Bob));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => h.Store.HistoryAsync(alices, within: Bob));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => h.Store.DeleteAsync(alices, within: Bob));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => h.Store.UpdateAsync(new UpdateMemoryRequest { Id = alices, Text = "stolen", Within = Bob }));

        Assert.Equal(1, await h.Store.DeleteAllAsync(Alice));
        Assert.Empty((await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice })).Memories);
        Assert.Equal("Bob's locker code is 1234", (await h.Store.GetAsync(bobs)).Text);
    }

    [Fact]
    public async Task Several_ids_narrow_the_scope_and_a_boundary_fills_in_or_refuses()
    {
        await using var h = Harness.Create();
        await h.AddAsync("shared note about tea", Alice);
        await h.AddAsync("coach note about tea", Alice with { AgentId = "coach" });
        Assert.Equal(2, (await h.SearchAsync("tea", Alice)).Count);
        Assert.Equal(["coach note about tea"], (await h.SearchAsync("tea", Alice with { AgentId = "coach" })).Select(x => x.Memory.Text));

        var boundary = new MemoryScope(AgentId: "coach");
        Assert.Equal(new MemoryScope("alice", "coach"), Alice.Within(boundary));
        Assert.Throws<ValidationException>(() => new MemoryScope(AgentId: "planner").Within(boundary));
    }

    [Fact]
    public async Task Supersede_keeps_the_old_fact_which_only_as_of_finds()
    {
        await using var h = Harness.Create();
        var berlin = await h.AddAsync("The user lives in Berlin", Alice);
        h.Time.Advance(TimeSpan.FromDays(30));
        var moved = await h.Store.UpdateAsync(new UpdateMemoryRequest { Id = berlin, Text = "The user lives in Lisbon", Supersede = true });
        var whenMoved = h.Time.GetUtcNow();

        var now = await h.SearchAsync("the user lives in", Alice);
        Assert.Equal([moved.Id], now.Select(x => x.Memory.Id));
        var before = await h.SearchAsync("the user lives in", Alice, asOf: Harness.Start.AddDays(10));
        Assert.Equal([berlin], before.Select(x => x.Memory.Id));

        var old = await h.Store.GetAsync(berlin);
        Assert.Equal(whenMoved, old.ValidTo);
        Assert.Equal(whenMoved, old.ExpiredAt);
        Assert.Equal(moved.Id, old.SupersededBy);
        Assert.Equal([berlin], moved.Supersedes);
        Assert.Equal(["add", "superseded"], (await h.Store.HistoryAsync(berlin)).Select(v => v.Event));
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.UpdateAsync(new UpdateMemoryRequest { Id = berlin, Text = "again" }));
        Assert.DoesNotContain(berlin, (await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice })).Memories.Select(m => m.Id));
        Assert.Contains(berlin, (await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice, IncludeExpired = true })).Memories.Select(m => m.Id));
    }

    [Fact]
    public async Task Add_with_supersedes_invalidates_the_named_memories()
    {
        await using var h = Harness.Create();
        var old = await h.AddAsync("The project deadline is March", Alice);
        h.Time.Advance(TimeSpan.FromDays(1));
        var events = await h.Store.AddAsync(new AddMemoryRequest { Text = "The project deadline is April", Scope = Alice, Supersedes = [old] });
        Assert.Equal(["add", "superseded"], events.Select(e => e.Event));
        Assert.Equal(["The project deadline is April"], (await h.SearchAsync("project deadline", Alice)).Select(x => x.Memory.Text));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "other scope", Scope = Bob, Supersedes = [events[0].Id] }));
    }

    [Fact]
    public async Task A_ttl_hides_a_memory_from_search_and_list_without_deleting_it()
    {
        await using var h = Harness.Create();
        var events = await h.Store.AddAsync(new AddMemoryRequest { Text = "Parking spot 42 today", Scope = Alice, Ttl = TimeSpan.FromHours(8) });
        var id = events[0].Id;
        Assert.Single(await h.SearchAsync("parking spot", Alice));
        h.Time.Advance(TimeSpan.FromHours(9));
        Assert.Empty(await h.SearchAsync("parking spot", Alice));
        Assert.Empty((await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice })).Memories);
        var memory = await h.Store.GetAsync(id);
        Assert.Equal(Harness.Start.AddHours(8), memory.ExpiresAt);
    }

    [Fact]
    public async Task List_pages_through_a_scope_in_creation_order()
    {
        await using var h = Harness.Create();
        for (var i = 0; i < 7; i++)
        {
            await h.AddAsync($"fact number {i} about topic {i * 31}", Alice);
            h.Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        var texts = new List<string>();
        string? cursor = null;
        do
        {
            var page = await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice, Limit = 3, Cursor = cursor });
            Assert.True(page.Memories.Count <= 3);
            texts.AddRange(page.Memories.Select(m => m.Text));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"fact number {i} about topic {i * 31}"), texts);
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.ListAsync(new ListMemoryRequest { Scope = Alice, Cursor = "nope" }));
    }

    [Fact]
    public async Task Filters_on_metadata_apply_to_both_signals()
    {
        await using var h = Harness.Create();
        await h.AddAsync("tea at the office", Alice, metadata: """{"place":"work"}""");
        await h.AddAsync("tea at home", Alice, metadata: """{"place":"home"}""");
        var filter = MemoryJson.ReadFilters(Harness.Json("""{"place":"home"}"""));
        foreach (var mode in new[] { RecallMode.Hybrid, RecallMode.Vector, RecallMode.Keyword })
        {
            var hits = await h.Store.SearchAsync(new SearchMemoryRequest { Query = "tea", Scope = Alice, Filter = filter, Mode = mode });
            Assert.Equal(["tea at home"], hits.Select(x => x.Memory.Text));
        }

        var qdrant = MemoryJson.ReadFilters(Harness.Json("""{"must":[{"key":"metadata.place","match":{"value":"work"}}]}"""));
        Assert.Equal(["tea at the office"], (await h.Store.SearchAsync(new SearchMemoryRequest { Query = "tea", Scope = Alice, Filter = qdrant })).Select(x => x.Memory.Text));
    }

    [Fact]
    public async Task Access_counts_are_flushed_on_the_timer_and_not_double_counted()
    {
        await using var h = Harness.Create();
        var id = await h.AddAsync("The wifi password is hunter2", Alice);
        await h.SearchAsync("wifi password", Alice);
        await h.SearchAsync("wifi password", Alice);
        Assert.Equal(2, (await h.Store.SearchAsync(new SearchMemoryRequest { Query = "wifi", Scope = Alice, TrackAccess = false }))[0].Memory.AccessCount);

        h.Time.Advance(TimeSpan.FromSeconds(11));
        for (var i = 0; i < 50 && (await StoredCount(h, id)) != 2; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, await StoredCount(h, id));
        Assert.Equal(3, (await h.Store.GetAsync(id)).AccessCount);
        await h.Store.FlushAccessAsync();
        Assert.Equal(3, await StoredCount(h, id));
    }

    [Fact]
    public async Task Weights_and_modes_are_validated()
    {
        await using var h = Harness.Create();
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.SearchAsync(new SearchMemoryRequest { Query = "x", Scope = Alice, Fusion = new FusionOptions { Vector = -1 } }));
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.SearchAsync(new SearchMemoryRequest { Query = "x", Scope = Alice, Limit = 0 }));
        await Assert.ThrowsAsync<ValidationException>(() => h.Store.SearchAsync(new SearchMemoryRequest { Query = "x", Scope = Alice, ScoreThreshold = 2 }));
    }

    [Fact]
    public void Scope_filters_are_exact_for_merging()
    {
        var exact = new Filter(must: [.. Alice.ExactConditions()]);
        Assert.True(exact.Matches(Guid.NewGuid(), Harness.Json("""{"user_id":"alice"}""")));
        Assert.False(exact.Matches(Guid.NewGuid(), Harness.Json("""{"user_id":"alice","agent_id":"x"}""")));
    }

    private static async Task<long> StoredCount(Harness h, Guid id)
    {
        var records = await h.Database.GetCollection(h.Store.CollectionName).GetAsync([id], PayloadSelector.All);
        return records[0].Payload!.Value.GetProperty("access_count").GetInt64();
    }
}
