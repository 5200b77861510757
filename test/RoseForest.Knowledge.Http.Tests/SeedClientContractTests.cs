using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Trust;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>
/// The five tests of the seed's YumeiCHAIN client (tests/integration/yumechain_tests.rs in seed 000)
/// turned around: the same requests the client sends (route, query parameters, body, the raw key in
/// <c>Authorization</c>), against the real server instead of a mock, with the same assertions on
/// the answers. Where the seed's mock answered fixed values, the test arranges the server's state
/// so that the real answer is that value.
/// </summary>
public sealed class SeedClientContractTests
{
    /// <summary>The fixture's key and node (TestFixture::new in the seed).</summary>
    private const string ApiKey = "test-api-key";
    private const string NodeId = "test-node-id";

    /// <summary>
    /// The client's publish body for <c>create_test_knowledge()</c>, serialised as serde does
    /// (struct order, None left out); the ids are set, so the client's <c>ensure_ids</c> keeps them.
    /// </summary>
    internal static string TestKnowledge(string knowledgeId = "test-id-123", string versionId = "v1", string text = "Test knowledge content", double confidence = 0.95, string domain = "test-domain", string type = "test-type")
        => $$$"""
           {"knowledge_id":"{{{knowledgeId}}}","version_id":"{{{versionId}}}","content":{"text":"{{{text}}}","format":"markdown","generated_by":"test-node-id"},"confidence":{"overall":{{{confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}},"reasoning_trace":{"method":"test-reasoning","steps":["Step 1","Step 2"]},"metadata":{"domain":"{{{domain}}}","type_":"{{{type}}}","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z"}}
           """;

    [Fact]
    public async Task Register_node_answers_success()
    {
        await using var server = await KnowledgeServer.StartAsync();

        var (status, body, _) = await server.SendAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=test-public-key");

        Assert.Equal(200, status); // assert!(result.is_ok())
        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Publish_knowledge_answers_its_knowledge_id_and_version_id()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[ApiKey] = NodeId);

        var (status, body, _) = await server.SendAsync(HttpMethod.Post, "/knowledge", TestKnowledge(), authorization: ApiKey);

        Assert.Equal(200, status);
        Assert.Equal("test-id-123", body.GetProperty("knowledge_id").GetString());
        Assert.Equal("v1", body.GetProperty("version_id").GetString());
        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("conflicts", out _)); // None is left out, as the client's serde expects
    }

    [Fact]
    public async Task Query_knowledge_answers_count_and_results_unwrapped()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[ApiKey] = NodeId);
        await server.OkAsync(HttpMethod.Post, "/knowledge", TestKnowledge("k-match", "v1", "Test content", 0.9), ApiKey);
        await server.OkAsync(HttpMethod.Post, "/knowledge", TestKnowledge("k-unsure", "v1", "Unsure content", 0.5), ApiKey);
        await server.OkAsync(HttpMethod.Post, "/knowledge", TestKnowledge("k-other", "v1", "Other content", 0.9, domain: "other-domain"), ApiKey);
        await server.OkAsync(HttpMethod.Post, "/knowledge", TestKnowledge("k-type", "v1", "Typed content", 0.9, type: "other-type"), ApiKey);

        // The client's query string, in its order: domain, type, min_confidence, limit.
        var (status, body, _) = await server.SendAsync(HttpMethod.Get, "/knowledge?domain=test-domain&type=test-type&min_confidence=0.8&limit=10");

        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("count").GetInt32());
        Assert.Equal(1, body.GetProperty("results").GetArrayLength());
        var result = body.GetProperty("results")[0];
        Assert.Equal("Test content", result.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("test-type", result.GetProperty("metadata").GetProperty("type_").GetString());
    }

    [Fact]
    public async Task Evaluate_knowledge_answers_the_new_score_and_vote_counts()
    {
        // Two mature voters (registered 31 days ago) with the default standing, and a prior worth
        // 0.45 votes: the author's vote then lifts the score to exactly the seed's 0.85 (docs/api.md
        // works the arithmetic: (0.45·0.5 + 0.45 + 0.6) / (0.45 + 0.45 + 0.6)).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.NodeKeys[ApiKey] = NodeId;
            o.NodeKeys["peer-key"] = "peer-node";
            o.TimeProvider = time;
            o.Trust = new TrustScoreOptions { PriorStrength = 0.45 };
        });
        await server.OkAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=test-public-key");
        await server.OkAsync(HttpMethod.Post, "/register?node_id=peer-node&public_key=peer-public-key");
        time.Advance(TimeSpan.FromDays(31));
        await server.OkAsync(HttpMethod.Post, "/knowledge", TestKnowledge(), ApiKey);
        await server.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"peer-node","vote":"upvote","confidence":0.9}""", "peer-key");

        var (status, body, _) = await server.SendAsync(
            HttpMethod.Post,
            "/knowledge/test-id-123/evaluate",
            """{"evaluating_node":"test-node-id","vote":"upvote","reason":"Good knowledge","confidence":0.9}""",
            authorization: ApiKey);

        Assert.Equal(200, status);
        Assert.Equal("test-id-123", body.GetProperty("knowledge_id").GetString());
        Assert.Equal(0.85f, (float)body.GetProperty("new_score").GetDouble()); // the client reads an f32
        Assert.Equal(2, body.GetProperty("votes").GetProperty("upvotes").GetInt32());
        Assert.Equal(0, body.GetProperty("votes").GetProperty("downvotes").GetInt32());
    }

    /// <summary>
    /// The seed's circuit-breaker test is the client's own state, so the server's side of it is the
    /// signal the breaker counts: a caller over the limit gets 429 with <c>Retry-After</c> (never an
    /// auth error, which the seed's client confused it with), failure after failure, until the bucket refills.
    /// </summary>
    [Fact]
    public async Task Rate_limited_calls_answer_429_with_retry_after_until_the_bucket_refills()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.RequestsPerMinute = 5;
        });

        for (var i = 0; i < 5; i++)
        {
            await server.OkAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=test-public-key");
        }

        for (var failure = 0; failure < 6; failure++)
        {
            var (status, body, response) = await server.SendAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=test-public-key");
            Assert.Equal(429, status);
            Assert.Equal("12", response.Headers.RetryAfter!.ToString()); // 60 s / 5 requests
            Assert.Contains("Too many requests", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        time.Advance(TimeSpan.FromSeconds(12));
        await server.OkAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=test-public-key");
    }
}
