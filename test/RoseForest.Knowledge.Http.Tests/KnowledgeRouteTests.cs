using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RoseForest.Knowledge.Model;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Http.Tests;

/// <summary>
/// The routes the seed's client calls but its tests never exercised (get, update, resolve), the
/// additions (search, delete), and the rules docs/api.md defines: one vote per node, conflicts and
/// their resolution, 401 and 403, signatures checked on receipt, trust filtering and ranking,
/// durability across a restart.
/// </summary>
public sealed class KnowledgeRouteTests
{
    private const string Key = "test-api-key";

    [Fact]
    public async Task Get_answers_the_bare_package_with_its_trust_and_404_for_an_unknown_id()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[Key] = "test-node-id");
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(), Key);

        var package = await server.OkAsync(HttpMethod.Get, "/knowledge/test-id-123");
        Assert.Equal("test-id-123", package.GetProperty("knowledge_id").GetString());
        Assert.Equal("Test knowledge content", package.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(0.5, package.GetProperty("trust").GetProperty("score").GetDouble()); // the prior, nobody voted
        Assert.Equal(0, package.GetProperty("trust").GetProperty("votes").GetProperty("upvotes").GetInt32());
        Assert.False(package.TryGetProperty("status", out _)); // unwrapped

        var (status, body, _) = await server.SendAsync(HttpMethod.Get, "/knowledge/no-such-id");
        Assert.Equal(404, status);
        Assert.Equal("error", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_retried_publish_creates_nothing_and_ids_are_derived_as_the_client_derives_them()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[Key] = "test-node-id");
        var withoutIds = """{"content":{"text":"Water boils at 100 C at sea level.","generated_by":"test-node-id"},"confidence":{"overall":0.9},"reasoning_trace":{"method":"recall","steps":[]},"metadata":{"domain":"physics","type":"fact"}}""";

        var first = await server.OkAsync(HttpMethod.Post, "/knowledge", withoutIds, Key);
        var again = await server.OkAsync(HttpMethod.Post, "/knowledge", withoutIds, Key);

        Assert.Equal(KnowledgeIds.KnowledgeId("Water boils at 100 C at sea level.", "physics"), first.GetProperty("knowledge_id").GetString());
        Assert.Equal(first.GetProperty("version_id").GetString(), again.GetProperty("version_id").GetString());
        var listed = await server.OkAsync(HttpMethod.Get, "/knowledge?domain=physics");
        Assert.Equal(1, listed.GetProperty("count").GetInt32());
        Assert.Equal("markdown", listed.GetProperty("results")[0].GetProperty("content").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Update_by_the_author_supersedes_and_by_another_author_is_a_conflict_resolved_by_accept_reject_or_merge()
    {
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.NodeKeys[Key] = "test-node-id";
            o.NodeKeys["other-key"] = "other-node";
        });
        await server.OkAsync(HttpMethod.Post, "/register?node_id=test-node-id&public_key=pk1");
        await server.OkAsync(HttpMethod.Post, "/register?node_id=other-node&public_key=pk2");
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(), Key);

        // The author updates: the new version replaces the old one, no conflict.
        var update = await server.OkAsync(HttpMethod.Put, "/knowledge/test-id-123", SeedClientContractTests.TestKnowledge(versionId: "v2", text: "Revised content"), Key);
        Assert.Equal("Knowledge updated", update.GetProperty("message").GetString());
        Assert.False(update.TryGetProperty("conflicts", out _));

        // Another node updates the same id: both versions survive, and the answer lists the other one.
        var rival = SeedClientContractTests.TestKnowledge(versionId: "v3", text: "Rival content").Replace("\"generated_by\":\"test-node-id\"", "\"generated_by\":\"other-node\"", StringComparison.Ordinal);
        var conflicted = await server.OkAsync(HttpMethod.Put, "/knowledge/test-id-123", rival, "other-key");
        Assert.Equal(["v2"], conflicted.GetProperty("conflicts").EnumerateArray().Select(e => e.GetString()));

        // reject names the version it drops; what remains is readable and conflict-free.
        var rejected = await server.OkAsync(HttpMethod.Post, "/conflict/test-id-123/resolve", """{"resolving_node":"test-node-id","resolution_type":"reject","reasoning":"unsupported","version_id":"v3"}""", Key);
        Assert.Equal(["v3"], rejected.GetProperty("removed_versions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("v2", (await server.OkAsync(HttpMethod.Get, "/knowledge/test-id-123")).GetProperty("version_id").GetString());

        // A new rival, then merge: one new version by the resolver supersedes both.
        await server.OkAsync(HttpMethod.Put, "/knowledge/test-id-123", rival.Replace("\"v3\"", "\"v4\"", StringComparison.Ordinal), "other-key");
        var merged = await server.OkAsync(HttpMethod.Post, "/conflict/test-id-123/resolve", """{"resolving_node":"other-node","resolution_type":"merge","reasoning":"both hold","merged_content":"Merged content"}""", "other-key");
        var mergedVersion = merged.GetProperty("version_id").GetString();
        var read = await server.OkAsync(HttpMethod.Get, "/knowledge/test-id-123");
        Assert.Equal(mergedVersion, read.GetProperty("version_id").GetString());
        Assert.Equal("Merged content", read.GetProperty("content").GetProperty("text").GetString());

        // No conflict left: resolving again is refused, naming why.
        var (status, body, _) = await server.SendAsync(HttpMethod.Post, "/conflict/test-id-123/resolve", """{"resolving_node":"other-node","resolution_type":"accept","reasoning":"x"}""", "other-key");
        Assert.Equal(400, status);
        Assert.Contains("no conflicting versions", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_400_naming_the_field_and_an_unknown_id_is_404()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[Key] = "test-node-id");
        (string Method, string Path, string? Body, string Field)[] cases =
        [
            ("POST", "/knowledge", """{"content":{"text":"","generated_by":"test-node-id"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"t"}}""", "content.text"),
            ("POST", "/knowledge", """{"content":{"text":"x","generated_by":"test-node-id"},"confidence":{"overall":1.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"t"}}""", "confidence.overall"),
            ("POST", "/knowledge", "{not json", "malformed JSON"),
            ("PUT", "/knowledge/test-id-123", SeedClientContractTests.TestKnowledge(knowledgeId: "another-id"), "knowledge_id"),
            ("GET", "/knowledge?min_confidence=2", null, "min_confidence"),
            ("GET", "/knowledge?limit=0", null, "limit"),
            ("GET", "/knowledge/search", null, "q"),
            ("POST", "/register?node_id=bad%20id&public_key=x", null, "node_id"),
            ("POST", "/register?node_id=n&public_key=", null, "public_key"),
        ];
        foreach (var (method, path, json, field) in cases)
        {
            var (status, body, _) = await server.SendAsync(new HttpMethod(method), path, json, Key);
            Assert.True(status == 400, $"{method} {path} answered {status}: {body}");
            Assert.Contains(field, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(404, (await server.SendAsync(HttpMethod.Put, "/knowledge/test-id-123", SeedClientContractTests.TestKnowledge(), Key)).Status);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Post, "/knowledge/nope/evaluate", """{"evaluating_node":"test-node-id","vote":"upvote","confidence":1}""", Key)).Status);
        Assert.Equal(0, (await server.OkAsync(HttpMethod.Get, "/knowledge")).GetProperty("count").GetInt32()); // nothing was written
    }

    [Fact]
    public async Task Writes_need_the_raw_key_of_the_node_they_act_for_401_without_one_403_for_another_node()
    {
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.NodeKeys[Key] = "test-node-id";
            o.NodeKeys["other-key"] = "other-node";
        });
        var package = SeedClientContractTests.TestKnowledge();

        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "/knowledge", package)).Status);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "/knowledge", package, authorization: "not-a-key")).Status);
        var (forbidden, body, _) = await server.SendAsync(HttpMethod.Post, "/knowledge", package, authorization: "other-key");
        Assert.Equal(403, forbidden);
        Assert.Contains("other-node", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The same key in its Bearer and api-key forms.
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/knowledge", package, authorization: "Bearer " + Key)).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/knowledge", package, apiKey: Key)).Status);

        // Registration issues a key that works at once.
        var registered = await server.OkAsync(HttpMethod.Post, "/register?node_id=fresh-node&public_key=label");
        var issued = registered.GetProperty("api_key").GetString()!;
        var fresh = package.Replace("test-node-id", "fresh-node", StringComparison.Ordinal).Replace("test-id-123", "fresh-id", StringComparison.Ordinal);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/knowledge", fresh, authorization: issued)).Status);

        // Another key cannot take over a registered node id.
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/register?node_id=fresh-node&public_key=another", authorization: Key)).Status);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "/register?node_id=fresh-node&public_key=another")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/register?node_id=fresh-node&public_key=rotated", authorization: issued)).Status);
    }

    [Fact]
    public async Task On_a_server_with_an_api_key_every_knowledge_route_needs_a_key_and_the_raw_server_key_works()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[Key] = "test-node-id", s =>
        {
            s.ApiKey = "server-key";
            s.ReadOnlyApiKey = "read-key";
        });

        Assert.Equal(401, (await server.SendAsync(HttpMethod.Get, "/knowledge")).Status);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Post, "/register?node_id=n&public_key=k")).Status); // registration is the operator's
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/register?node_id=n&public_key=k", authorization: "server-key")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/knowledge", authorization: "read-key")).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(), authorization: "read-key")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(), authorization: Key)).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/knowledge/test-id-123", authorization: Key)).Status);

        // The REST API keeps its own rules: the raw form is not a Qdrant key, and node keys do not open it.
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Get, "/collections", authorization: "server-key")).Status);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Get, "/collections", apiKey: Key)).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/collections", apiKey: "server-key")).Status);

        // Sync routes take the server's keys only.
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Get, "/sync/node")).Status);
        Assert.Equal(401, (await server.SendAsync(HttpMethod.Get, "/sync/node", authorization: Key)).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/sync/node", authorization: "read-key")).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/sync/jobs", """{"remote":"http://127.0.0.1:1"}""", authorization: "read-key")).Status);
    }

    [Fact]
    public async Task A_keyed_node_must_sign_its_packages_and_votes_and_bad_signatures_are_refused()
    {
        using var signer = KnowledgeSigner.Generate();
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys["signer-key"] = "signer");
        var registered = await server.OkAsync(HttpMethod.Post, $"/register?node_id=signer&public_key={signer.PublicKeyHex}");
        Assert.Equal("ed25519", registered.GetProperty("signing").GetString());

        var package = KnowledgeJson.Deserialize(SeedClientContractTests.TestKnowledge()) with { Content = new KnowledgeContent { Text = "Signed content", GeneratedBy = "signer" } };
        var (unsigned, body, _) = await server.SendAsync(HttpMethod.Post, "/knowledge", KnowledgeJson.Serialize(package), authorization: "signer-key");
        Assert.Equal(403, unsigned);
        Assert.Contains("trust.signature is required", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        var signed = signer.SignPackage(package);
        var tampered = signed with { Content = signed.Content! with { Text = "Tampered content" } };
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/knowledge", KnowledgeJson.Serialize(tampered), authorization: "signer-key")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Post, "/knowledge", KnowledgeJson.Serialize(signed), authorization: "signer-key")).Status);
        var stored = await server.OkAsync(HttpMethod.Get, "/knowledge/test-id-123");
        Assert.True(KnowledgeSigner.VerifyPackage(KnowledgeJson.Deserialize(stored.GetRawText()), signer.PublicKeyHex)); // served as signed

        // Votes: a signed_at (the vote's stamp) and a signature over the vote's canonical form.
        var evaluation = """{"evaluating_node":"signer","vote":"downvote","confidence":0.7}""";
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", evaluation, authorization: "signer-key")).Status);
        var vote = signer.SignVote(new KnowledgeVote("test-id-123", "signer", VoteKind.Downvote, 0.7, null, new Crdt.HlcTimestamp(1_767_225_600_000, 0, "signer")));
        var signedEvaluation = $$"""{"evaluating_node":"signer","vote":"downvote","confidence":0.7,"signed_at":1767225600000,"signature":"{{vote.Signature}}"}""";
        var wrong = signedEvaluation.Replace("downvote", "upvote", StringComparison.Ordinal);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", wrong, authorization: "signer-key")).Status);
        var answer = await server.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", signedEvaluation, "signer-key");
        Assert.Equal(1, answer.GetProperty("votes").GetProperty("downvotes").GetInt32());
    }

    [Fact]
    public async Task One_vote_per_node_a_second_replaces_the_first_and_unregistered_voters_are_refused()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.NodeKeys[Key] = "test-node-id";
            o.NodeKeys["voter-key"] = "voter";
            o.NodeKeys["stranger-key"] = "stranger";
        });
        await server.OkAsync(HttpMethod.Post, "/register?node_id=voter&public_key=v");
        time.Advance(TimeSpan.FromDays(31));
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(), Key);

        var up = await server.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"voter","vote":"upvote","confidence":1}""", "voter-key");
        time.Advance(TimeSpan.FromSeconds(1));
        var down = await server.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"voter","vote":"downvote","confidence":1}""", "voter-key");

        Assert.Equal((1, 0), (up.GetProperty("votes").GetProperty("upvotes").GetInt32(), up.GetProperty("votes").GetProperty("downvotes").GetInt32()));
        Assert.Equal((0, 1), (down.GetProperty("votes").GetProperty("upvotes").GetInt32(), down.GetProperty("votes").GetProperty("downvotes").GetInt32()));
        Assert.True(up.GetProperty("new_score").GetDouble() > 0.5);
        Assert.True(down.GetProperty("new_score").GetDouble() < 0.5);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"stranger","vote":"upvote","confidence":1}""", authorization: "stranger-key")).Status);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"voter","vote":"upvote","confidence":1}""", authorization: Key)).Status);
    }

    [Fact]
    public async Task Trust_score_filters_and_ranks_the_list_and_the_search()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.NodeKeys[Key] = "test-node-id";
            o.NodeKeys["voter-key"] = "voter";
        });
        await server.OkAsync(HttpMethod.Post, "/register?node_id=voter&public_key=v");
        time.Advance(TimeSpan.FromDays(31));
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge("trusted", text: "Green tea contains caffeine and theanine."), Key);
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge("disputed", text: "Green tea contains no caffeine at all."), Key);
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge("unrated", text: "Volcanic rock cools into basalt."), Key);
        await server.OkAsync(HttpMethod.Post, "/knowledge/trusted/evaluate", """{"evaluating_node":"voter","vote":"upvote","confidence":1}""", "voter-key");
        await server.OkAsync(HttpMethod.Post, "/knowledge/disputed/evaluate", """{"evaluating_node":"voter","vote":"downvote","confidence":1}""", "voter-key");

        var listed = await server.OkAsync(HttpMethod.Get, "/knowledge?domain=test-domain");
        Assert.Equal(["trusted", "unrated", "disputed"], listed.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("knowledge_id").GetString()));
        var filtered = await server.OkAsync(HttpMethod.Get, "/knowledge?min_score=0.5");
        Assert.Equal(["trusted", "unrated"], filtered.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("knowledge_id").GetString()));

        var search = await server.OkAsync(HttpMethod.Get, "/knowledge/search?q=caffeine%20in%20green%20tea&limit=2");
        var ids = search.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("knowledge_id").GetString()).ToList();
        Assert.Equal(["trusted", "disputed"], ids); // both about tea; the trusted one first
        var top = search.GetProperty("results")[0];
        Assert.True(top.GetProperty("similarity").GetDouble() > 0);
        Assert.True(top.GetProperty("trust_score").GetDouble() > 0.5);
        var trustedOnly = await server.OkAsync(HttpMethod.Get, "/knowledge/search?q=caffeine%20in%20green%20tea&min_score=0.5");
        Assert.DoesNotContain("disputed", trustedOnly.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("knowledge_id").GetString()));
    }

    [Fact]
    public async Task Knowledge_keys_votes_and_the_search_index_survive_a_restart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.NodeKeys[Key] = "test-node-id";
            o.TimeProvider = time;
        });
        var issued = (await server.OkAsync(HttpMethod.Post, "/register?node_id=voter&public_key=v")).GetProperty("api_key").GetString()!;
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(text: "Basalt forms from cooling lava."), Key);
        await server.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"voter","vote":"upvote","confidence":1}""", issued);
        var before = await server.OkAsync(HttpMethod.Get, "/knowledge/test-id-123");
        var hashBefore = (await server.OkAsync(HttpMethod.Get, "/sync/knowledge/hash")).GetProperty("content_hash").GetString();
        var nodeBefore = (await server.OkAsync(HttpMethod.Get, "/sync/node")).GetProperty("node_id").GetString();

        await server.RestartAsync();

        Assert.Equal(before.GetRawText(), (await server.OkAsync(HttpMethod.Get, "/knowledge/test-id-123")).GetRawText());
        Assert.Equal(hashBefore, (await server.OkAsync(HttpMethod.Get, "/sync/knowledge/hash")).GetProperty("content_hash").GetString());
        Assert.Equal(nodeBefore, (await server.OkAsync(HttpMethod.Get, "/sync/node")).GetProperty("node_id").GetString());
        var search = await server.OkAsync(HttpMethod.Get, "/knowledge/search?q=cooling%20lava");
        Assert.Equal("test-id-123", search.GetProperty("results")[0].GetProperty("knowledge_id").GetString());
        var again = await server.OkAsync(HttpMethod.Post, "/knowledge/test-id-123/evaluate", """{"evaluating_node":"voter","vote":"downvote","confidence":1}""", issued);
        Assert.Equal(1, again.GetProperty("votes").GetProperty("downvotes").GetInt32());
    }

    [Fact]
    public async Task The_search_index_collection_appears_with_the_first_package_and_not_before()
    {
        await using var server = await KnowledgeServer.StartAsync(o => o.NodeKeys[Key] = "test-node-id");
        static IEnumerable<string?> Names(JsonElement list) => list.GetProperty("result").GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString());

        Assert.Empty(Names(await server.OkAsync(HttpMethod.Get, "/collections")));
        Assert.Equal(0, (await server.OkAsync(HttpMethod.Get, "/knowledge/search?q=anything")).GetProperty("count").GetInt32());
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(), Key);
        Assert.Equal(["_knowledge"], Names(await server.OkAsync(HttpMethod.Get, "/collections")));
        Assert.Empty((await server.OkAsync(HttpMethod.Get, "/sync/collections")).GetProperty("collections").EnumerateArray()); // never synced
    }

    [Fact]
    public async Task Delete_is_for_an_author_or_the_admin_and_removes_the_package_from_list_and_search()
    {
        await using var server = await KnowledgeServer.StartAsync(o =>
        {
            o.NodeKeys[Key] = "test-node-id";
            o.NodeKeys["other-key"] = "other-node";
        });
        await server.OkAsync(HttpMethod.Post, "/knowledge", SeedClientContractTests.TestKnowledge(text: "Granite is an igneous rock."), Key);
        Assert.Equal(403, (await server.SendAsync(HttpMethod.Delete, "/knowledge/test-id-123", authorization: "other-key")).Status);
        await server.OkAsync(HttpMethod.Delete, "/knowledge/test-id-123", authorization: Key);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Get, "/knowledge/test-id-123")).Status);
        Assert.Equal(0, (await server.OkAsync(HttpMethod.Get, "/knowledge/search?q=granite")).GetProperty("count").GetInt32());
    }
}
