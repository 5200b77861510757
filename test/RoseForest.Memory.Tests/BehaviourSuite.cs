using RoseForest.Embeddings.MiniLm;
using Xunit.Abstractions;

namespace RoseForest.Memory.Tests;

/// <summary>One MiniLM model for the behaviour suite (it loads in about a second).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new();

    public void Dispose() => Generator.Dispose();
}

/// <summary>
/// The memory-behaviour suite, in the spirit of LongMemEval's categories, with the real embedder
/// (all-MiniLM-L6-v2) and the default threshold and fusion: fact recall from paraphrased
/// questions, knowledge update (the superseding fact wins; the old one only with as_of), temporal
/// questions (as_of against validity intervals), scope isolation, and abstention (unrelated
/// questions return nothing). Synthetic and deterministic: fixed texts, a fake clock.
/// </summary>
public sealed class BehaviourSuite(MiniLmFixture model, ITestOutputHelper output) : IClassFixture<MiniLmFixture>
{
    private static readonly MemoryScope Alice = Harness.User("alice");
    private static readonly MemoryScope Bob = Harness.User("bob");

    private static readonly string[] AliceFacts =
    [
        "Alice's daughter is called Maya and she is seven years old.",
        "Alice is allergic to peanuts.",
        "Alice works night shifts as a nurse at St. Mary's hospital.",
        "Alice drives a blue Volvo estate.",
        "Alice's favourite band is Radiohead.",
        "Alice is training for the Lisbon half marathon in October.",
        "Alice prefers her coffee black without sugar.",
        "Alice's cat is a grey Maine Coon named Pixel.",
    ];

    private static readonly string[] BobFacts =
    [
        "Bob is allergic to shellfish.",
        "Bob plays the cello in a community orchestra.",
        "Bob's daughter is called Zoe.",
    ];

    [Theory]
    [InlineData("What is the name of Alice's child?", 0)]
    [InlineData("Does Alice have any food allergies?", 1)]
    [InlineData("What does Alice do for a living?", 2)]
    [InlineData("What car does Alice have?", 3)]
    [InlineData("Which music does Alice listen to?", 4)]
    [InlineData("Which race is Alice preparing for?", 5)]
    [InlineData("How does Alice take her coffee?", 6)]
    [InlineData("Does Alice have any pets?", 7)]
    public async Task Fact_recall_finds_the_fact_from_a_paraphrased_question(string question, int fact)
    {
        await using var h = await WorldAsync();
        var hits = await h.SearchAsync(question, Alice, limit: 3);
        Log(question, hits);
        Assert.Equal(AliceFacts[fact], hits[0].Memory.Text);
    }

    [Fact]
    public async Task Knowledge_update_the_superseding_fact_wins_and_the_old_one_needs_as_of()
    {
        await using var h = await WorldAsync();
        var berlin = await h.AddAsync("Alice lives in Berlin.", Alice);
        var beforeMove = h.Time.GetUtcNow().AddDays(10);
        h.Time.Advance(TimeSpan.FromDays(40));
        var lisbon = await h.Store.UpdateAsync(new UpdateMemoryRequest { Id = berlin, Text = "Alice moved to Lisbon.", Supersede = true });

        var now = await h.SearchAsync("Where does Alice live?", Alice, limit: 3);
        Log("now", now);
        Assert.Equal(lisbon.Id, now[0].Memory.Id);
        Assert.DoesNotContain(berlin, now.Select(x => x.Memory.Id));

        var then = await h.SearchAsync("Where does Alice live?", Alice, asOf: beforeMove, limit: 3);
        Log("as_of", then);
        Assert.Equal(berlin, then[0].Memory.Id);
        Assert.DoesNotContain(lisbon.Id, then.Select(x => x.Memory.Id));
    }

    [Fact]
    public async Task Temporal_questions_are_answered_from_the_facts_valid_at_the_time()
    {
        await using var h = await WorldAsync();
        var y2019 = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var y2023 = new DateTimeOffset(2023, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await h.Store.AddAsync(new AddMemoryRequest { Text = "Alice worked as a paramedic for the city ambulance service.", Scope = Alice, ValidFrom = y2019, ValidTo = y2023 });
        await h.Store.AddAsync(new AddMemoryRequest { Text = "Alice works as a nurse in the emergency department.", Scope = Alice, ValidFrom = y2023 });

        var in2021 = await h.SearchAsync("What was Alice's job?", Alice, asOf: new DateTimeOffset(2021, 6, 1, 0, 0, 0, TimeSpan.Zero), limit: 3);
        Log("2021", in2021);
        Assert.Equal("Alice worked as a paramedic for the city ambulance service.", in2021[0].Memory.Text);
        Assert.All(in2021, x => Assert.True(x.Memory.ValidFrom <= new DateTimeOffset(2021, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        var in2018 = await h.SearchAsync("What was Alice's job?", Alice, asOf: new DateTimeOffset(2018, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Empty(in2018); // the world facts of the fixture start when they were stored (2026)

        var today = await h.SearchAsync("What is Alice's job?", Alice, limit: 3);
        Assert.DoesNotContain(today, x => x.Memory.Text.Contains("paramedic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scope_isolation_one_users_question_never_returns_anothers_memories()
    {
        await using var h = await WorldAsync();
        var alice = await h.SearchAsync("Does she have any food allergies?", Alice, limit: 10);
        var bob = await h.SearchAsync("Does he have any food allergies?", Bob, limit: 10);
        Log("alice", alice);
        Log("bob", bob);
        Assert.Equal("Alice is allergic to peanuts.", alice[0].Memory.Text);
        Assert.Equal("Bob is allergic to shellfish.", bob[0].Memory.Text);
        Assert.All(alice, x => Assert.Equal("alice", x.Memory.Scope.UserId));
        Assert.All(bob, x => Assert.Equal("bob", x.Memory.Scope.UserId));
    }

    [Theory]
    [InlineData("What is the boiling point of mercury?")]
    [InlineData("How do I configure a VLAN on a Cisco switch?")]
    [InlineData("Who won the 1954 football World Cup?")]
    [InlineData("Explain quantum chromodynamics.")]
    public async Task Abstention_an_unrelated_question_returns_nothing(string question)
    {
        await using var h = await WorldAsync();
        var loose = await h.Store.SearchAsync(new SearchMemoryRequest { Query = question, Scope = Alice, ScoreThreshold = 0, Limit = 3 });
        Log(question + " (no threshold)", loose);
        Assert.Empty(await h.SearchAsync(question, Alice));
    }

    private async Task<Harness> WorldAsync()
    {
        var h = Harness.Create(embedder: new Unowned(model.Generator));
        await h.Store.AddManyAsync([.. AliceFacts.Select(f => new AddMemoryRequest { Text = f, Scope = Alice })]);
        await h.Store.AddManyAsync([.. BobFacts.Select(f => new AddMemoryRequest { Text = f, Scope = Bob })]);
        return h;
    }

    private void Log(string query, IReadOnlyList<MemoryHit> hits)
    {
        output.WriteLine(query);
        foreach (var hit in hits)
        {
            output.WriteLine($"  {hit.Score:F4} cos {hit.VectorScore:F3} bm25 {hit.KeywordScore:F2} rel {hit.Relevance:F3}  {hit.Memory.Text}");
        }
    }

    /// <summary>The shared model, not disposed by each test's harness.</summary>
    private sealed class Unowned(Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> inner)
        : Microsoft.Extensions.AI.DelegatingEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
