using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Model;

namespace RoseForest.Knowledge.Signing;

/// <summary>
/// The byte strings that are hashed and signed: a length-prefixed field sequence, specified byte by
/// byte in docs/knowledge.md ("Canonical forms"). Chosen over canonical JSON (RFC 8785) because its
/// numbers are IEEE-754 bits rather than decimal text, so a Rust, Python or .NET signer cannot
/// disagree on number formatting, and because every field has exactly one encoding.
/// </summary>
public static class KnowledgeCanonicalForm
{
    private static readonly byte[] PackageMagic = "RFKP"u8.ToArray();
    private static readonly byte[] VoteMagic = "RFKV"u8.ToArray();

    /// <summary>The format version written after the magic.</summary>
    public const byte FormatVersion = 1;

    /// <summary>
    /// The canonical bytes of a validated package: every field except <c>trust</c> (the signature
    /// cannot cover itself; score and votes are computed by the network).
    /// </summary>
    public static byte[] Package(KnowledgePackage package)
    {
        KnowledgeValidator.Validate(package);
        var w = new CanonicalWriter();
        w.WriteRaw(PackageMagic);
        w.WriteByte(FormatVersion);
        w.WriteOptionalString(package.KnowledgeId);
        w.WriteOptionalString(package.VersionId);

        var content = package.Content!;
        w.WriteString(content.Text!);
        w.WriteString(content.Format);
        w.WriteString(content.GeneratedBy!);

        var confidence = package.Confidence!;
        w.WriteDouble(confidence.Overall);
        w.WritePresence(confidence.Statements is not null);
        if (confidence.Statements is { } statements)
        {
            var keys = statements.Keys.ToList();
            keys.Sort(CanonicalWriter.CompareUtf8);
            w.WriteUInt32((uint)keys.Count);
            foreach (var key in keys)
            {
                w.WriteString(key);
                w.WriteDouble(statements[key]);
            }
        }

        var trace = package.ReasoningTrace!;
        w.WriteString(trace.Method!);
        w.WriteList(trace.Steps!, static (x, step) => x.WriteString(step));
        w.WriteOptionalList(trace.Alternatives, static (x, a) =>
        {
            x.WriteString(a.Text!);
            x.WriteDouble(a.Confidence);
            x.WriteString(a.Reasoning!);
        });

        var metadata = package.Metadata!;
        w.WriteString(metadata.Domain!);
        w.WriteOptionalList(metadata.Subdomains, static (x, s) => x.WriteString(s));
        w.WriteString(metadata.Type!);
        w.WriteOptionalList(metadata.Tags, static (x, s) => x.WriteString(s));
        w.WriteOptionalList(metadata.SourceCitations, static (x, c) =>
        {
            x.WriteString(c.Source!);
            x.WriteOptionalString(c.Link);
            x.WriteOptionalString(c.CitationText);
        });
        w.WriteOptionalList(metadata.RelatedKnowledge, static (x, s) => x.WriteString(s));
        w.WriteOptionalInt64(UnixMicroseconds(metadata.CreatedAt));
        w.WriteOptionalInt64(UnixMicroseconds(metadata.UpdatedAt));
        return w.ToArray();
    }

    /// <summary>The canonical bytes of a vote (see docs/knowledge.md).</summary>
    public static byte[] Vote(KnowledgeVote vote)
    {
        vote.Validate();
        var w = new CanonicalWriter();
        w.WriteRaw(VoteMagic);
        w.WriteByte(FormatVersion);
        w.WriteString(vote.KnowledgeId);
        w.WriteString(vote.Voter);
        w.WriteByte(vote.Kind == VoteKind.Upvote ? (byte)1 : (byte)2);
        w.WriteDouble(vote.Confidence);
        w.WriteOptionalString(vote.Reason);
        WriteStamp(w, vote.Stamp);
        return w.ToArray();
    }

    internal static void WriteStamp(CanonicalWriter w, HlcTimestamp stamp)
    {
        w.WriteInt64(stamp.Physical);
        w.WriteInt32(stamp.Logical);
        w.WriteString(stamp.Node);
    }

    /// <summary>Microseconds since 1970-01-01T00:00:00Z, rounded towards negative infinity.</summary>
    internal static long? UnixMicroseconds(DateTimeOffset? time)
    {
        if (time is not { } t)
        {
            return null;
        }

        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var micros = ticks / 10;
        return ticks % 10 < 0 ? micros - 1 : micros;
    }
}
