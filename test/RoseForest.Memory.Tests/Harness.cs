using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Embeddings.Hashing;
using RoseForest.Engine;

namespace RoseForest.Memory.Tests;

/// <summary>An in-memory database, a deterministic embedder and a fake clock starting 2026-01-01.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private Harness(RoseForestDatabase database, IEmbeddingGenerator<string, Embedding<float>> embedder, FakeTimeProvider time, MemoryOptions? options)
    {
        Database = database;
        Embedder = embedder;
        Time = time;
        Store = new MemoryStore(database, embedder, With(options, time));
    }

    public RoseForestDatabase Database { get; }

    public IEmbeddingGenerator<string, Embedding<float>> Embedder { get; }

    public FakeTimeProvider Time { get; }

    public MemoryStore Store { get; private set; }

    public static Harness Create(MemoryOptions? options = null, IEmbeddingGenerator<string, Embedding<float>>? embedder = null)
    {
        var time = new FakeTimeProvider(Start);
        return new Harness(RoseForestDatabase.CreateInMemory(new DatabaseOptions { TimeProvider = time }), embedder ?? new HashingEmbeddingGenerator(256), time, options);
    }

    public static MemoryOptions With(MemoryOptions? options, TimeProvider time) => new()
    {
        CollectionName = options?.CollectionName,
        ScoreThreshold = options?.ScoreThreshold ?? 0.35,
        DuplicateThreshold = options?.DuplicateThreshold ?? 0.92,
        Fusion = options?.Fusion ?? new FusionOptions(),
        Consolidation = options?.Consolidation ?? new ConsolidationOptions(),
        ChatClient = options?.ChatClient,
        AccessFlushInterval = options?.AccessFlushInterval ?? TimeSpan.FromSeconds(10),
        TimeProvider = time,
    };

    public static MemoryScope User(string id) => new(UserId: id);

    public static JsonElement Json(string json) => JsonElement.Parse(json);

    public async Task<Guid> AddAsync(string text, MemoryScope scope, MemoryKind kind = MemoryKind.Semantic, string? metadata = null)
    {
        var events = await Store.AddAsync(new AddMemoryRequest { Text = text, Scope = scope, Kind = kind, Metadata = metadata is null ? null : Json(metadata) });
        return events[0].Id;
    }

    public async Task<IReadOnlyList<MemoryHit>> SearchAsync(string query, MemoryScope scope, DateTimeOffset? asOf = null, int limit = 10) =>
        await Store.SearchAsync(new SearchMemoryRequest { Query = query, Scope = scope, AsOf = asOf, Limit = limit });

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Database.DisposeAsync();
        Embedder.Dispose();
    }
}
