using System.Security.Cryptography;
using System.Text;
using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Model;

/// <summary>
/// Fills in missing ids. <c>knowledge_id</c> follows the YumeiCHAIN client exactly (schema.rs
/// <c>ensure_ids</c>): the first 16 lowercase hex digits of SHA-256 over the UTF-8 of
/// <c>"{content.text}:{metadata.domain}"</c>. <c>version_id</c> differs from the client, which takes
/// 8 characters of a random UUID: here it is content-addressed, the first 16 lowercase hex digits of
/// SHA-256 over the package's canonical form with <c>version_id</c> absent, so the same version sent
/// twice (a retry, a duplicate delivery) gets the same id and is recognised as one version, and no
/// randomness enters the pure core.
/// </summary>
public static class KnowledgeIds
{
    /// <summary>The <c>knowledge_id</c> the YumeiCHAIN client derives for a text in a domain.</summary>
    public static string KnowledgeId(string text, string domain)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{text}:{domain}"));
        return Hex.Lower(digest)[..16];
    }

    /// <summary>The content-addressed <c>version_id</c> of a package (its own <c>version_id</c> ignored).</summary>
    public static string VersionId(KnowledgePackage package)
    {
        var digest = SHA256.HashData(KnowledgeCanonicalForm.Package(package with { VersionId = null }));
        return Hex.Lower(digest)[..16];
    }

    /// <summary>Returns the package with <c>knowledge_id</c> and <c>version_id</c> filled in where absent.</summary>
    public static KnowledgePackage EnsureIds(KnowledgePackage package)
    {
        KnowledgeValidator.Validate(package);
        var withId = package.KnowledgeId is null
            ? package with { KnowledgeId = KnowledgeId(package.Content!.Text!, package.Metadata!.Domain!) }
            : package;
        return withId.VersionId is null ? withId with { VersionId = VersionId(withId) } : withId;
    }
}
