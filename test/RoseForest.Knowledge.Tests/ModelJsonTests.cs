using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Tests;

public sealed class ModelJsonTests
{
    [Fact]
    public void The_client_query_answer_body_deserializes_with_type_underscore_and_default_format()
    {
        const string json = """{"content": {"text": "Test content", "format": "markdown", "generated_by": "test-node"}, "confidence": {"overall": 0.9}, "reasoning_trace": {"method": "test", "steps": ["Step 1"]}, "metadata": {"domain": "test-domain", "type_": "test-type"}}""";
        var package = KnowledgeValidator.Validate(KnowledgeJson.Deserialize(json));
        Assert.Equal("test-type", package.Metadata!.Type);
        Assert.Equal(0.9, package.Confidence!.Overall);
        Assert.Null(package.KnowledgeId);
    }

    [Fact]
    public void Type_is_accepted_as_an_alias_and_written_back_as_type_underscore()
    {
        const string json = """{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type":"fact"}}""";
        var package = KnowledgeJson.Deserialize(json);
        Assert.Equal("fact", package.Metadata!.Type);
        Assert.Equal("markdown", package.Content!.Format);
        var written = KnowledgeJson.Serialize(package);
        Assert.Contains("\"type_\":\"fact\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\":", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Contradicting_type_and_type_underscore_is_refused_naming_the_field()
    {
        const string json = """{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type":"fact","type_":"claim"}}""";
        var e = Assert.Throws<KnowledgeValidationException>(() => KnowledgeValidator.Validate(KnowledgeJson.Deserialize(json)));
        Assert.Equal("metadata.type_", e.Field);
    }

    [Fact]
    public void Null_fields_are_omitted_on_output()
    {
        var written = KnowledgeJson.Serialize(Samples.Package());
        Assert.DoesNotContain("null", written, StringComparison.Ordinal);
        Assert.DoesNotContain("knowledge_id", written, StringComparison.Ordinal);
        Assert.DoesNotContain("trust", written, StringComparison.Ordinal);
        Assert.DoesNotContain("statements", written, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_package_round_trips_to_the_same_canonical_bytes()
    {
        var full = Samples.Full();
        var back = KnowledgeJson.Deserialize(KnowledgeJson.Serialize(full));
        Assert.Equal(Signing.KnowledgeCanonicalForm.Package(full), Signing.KnowledgeCanonicalForm.Package(back));
        Assert.Equal("Hecht", back.Metadata!.SourceCitations![0].Source);
        Assert.Null(back.Metadata.SourceCitations[0].CitationText);
    }

    [Fact]
    public void Chrono_nanosecond_timestamps_are_read()
    {
        const string json = """{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x","created_at":"2024-05-06T07:08:09.123456789Z"}}""";
        var package = KnowledgeJson.Deserialize(json);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567), package.Metadata!.CreatedAt);
    }

    [Theory]
    [InlineData("""{"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "content")]
    [InlineData("""{"content":{"text":" ","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "content.text")]
    [InlineData("""{"content":{"text":"t"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "content.generated_by")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":1.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "confidence.overall")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5,"statements":{"a":-0.1}},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "confidence.statements[a]")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m"},"metadata":{"domain":"d","type_":"x"}}""", "reasoning_trace.steps")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[],"alternatives":[{"text":"a","confidence":2,"reasoning":"r"}]},"metadata":{"domain":"d","type_":"x"}}""", "reasoning_trace.alternatives[0].confidence")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d"}}""", "metadata.type_")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x","source_citations":[{"link":"l"}]}}""", "metadata.source_citations[0].source")]
    [InlineData("""{"knowledge_id":"has space","content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "knowledge_id")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":0.5},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"},"trust":{"signature":"abc"}}""", "trust.signature")]
    [InlineData("""{"content":{"text":"t","generated_by":"n"},"confidence":{"overall":"high"},"reasoning_trace":{"method":"m","steps":[]},"metadata":{"domain":"d","type_":"x"}}""", "$.confidence.overall")]
    public void Invalid_packages_are_refused_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<KnowledgeValidationException>(() => KnowledgeValidator.Validate(KnowledgeJson.Deserialize(json)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void The_client_evaluation_body_becomes_a_vote_and_a_bad_vote_word_is_refused()
    {
        const string json = """{"evaluating_node": "test-node-id", "vote": "upvote", "reason": "Good knowledge", "confidence": 0.9}""";
        var evaluation = System.Text.Json.JsonSerializer.Deserialize<KnowledgeEvaluation>(json, KnowledgeJson.Options)!;
        var vote = evaluation.ToVote("test-id-123", new Crdt.HlcTimestamp(5, 0, "test-node-id"));
        Assert.Equal(VoteKind.Upvote, vote.Kind);
        Assert.Equal(0.9, vote.Confidence);
        var e = Assert.Throws<KnowledgeValidationException>(() => (evaluation with { Vote = "meh" }).ToVote("k", new Crdt.HlcTimestamp(5, 0, "test-node-id")));
        Assert.Equal("vote", e.Field);
    }
}
