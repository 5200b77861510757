using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Conflicts;

/// <summary>One surviving version of a knowledge id: the package and where its write came from.</summary>
/// <param name="Package">The package as published (ids filled in; trust holds only the signature).</param>
/// <param name="Stamp">The HLC reading of the write.</param>
/// <param name="Dot">The write's dot; its origin is the replica that accepted the publish.</param>
public sealed record KnowledgeVersion(KnowledgePackage Package, HlcTimestamp Stamp, Dot Dot)
{
    /// <summary>The version id.</summary>
    public string VersionId => Package.VersionId!;

    /// <summary>The author (<c>content.generated_by</c>).</summary>
    public string Author => Package.Content!.GeneratedBy!;
}
