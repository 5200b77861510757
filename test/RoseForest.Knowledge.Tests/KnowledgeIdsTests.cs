using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Tests;

public sealed class KnowledgeIdsTests
{
    [Theory]
    [InlineData("Test knowledge content", "test-domain", "7b7f6f722ac9bd53")]
    [InlineData("Ünïcode text — 知識", "physics", "10c8ade0bb97b7ef")]
    public void Knowledge_id_is_the_first_16_hex_of_sha256_of_text_colon_domain(string text, string domain, string expected)
    {
        // Expected values computed outside .NET: hashlib.sha256(f"{text}:{domain}".encode()).hexdigest()[:16]
        Assert.Equal(expected, KnowledgeIds.KnowledgeId(text, domain));
        var filled = KnowledgeIds.EnsureIds(Samples.Package(text, domain: domain));
        Assert.Equal(expected, filled.KnowledgeId);
    }

    [Fact]
    public void Given_ids_are_kept()
    {
        var filled = KnowledgeIds.EnsureIds(Samples.Package() with { KnowledgeId = "mine", VersionId = "v1" });
        Assert.Equal("mine", filled.KnowledgeId);
        Assert.Equal("v1", filled.VersionId);
    }

    [Fact]
    public void Version_id_is_content_addressed_and_ignores_a_given_version_id()
    {
        var a = KnowledgeIds.EnsureIds(Samples.Package());
        var again = KnowledgeIds.EnsureIds(Samples.Package());
        var edited = KnowledgeIds.EnsureIds(Samples.Package() with { Confidence = new KnowledgeConfidence { Overall = 0.5 } });
        Assert.Equal(a.VersionId, again.VersionId);
        Assert.NotEqual(a.VersionId, edited.VersionId);
        Assert.Equal(a.VersionId, KnowledgeIds.VersionId(a with { VersionId = "anything" }));
        Assert.Matches("^[0-9a-f]{16}$", a.VersionId!);
    }
}
