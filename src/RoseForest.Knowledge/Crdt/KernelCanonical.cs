using RoseForest.Knowledge.Signing;

namespace RoseForest.Knowledge.Crdt;

/// <summary>Canonical bytes of kernels and contexts, for equality checks and content hashes.</summary>
internal static class KernelCanonical
{
    public static void Write<TKey, TValue>(
        CanonicalWriter w,
        DotKernel<TKey, TValue> kernel,
        Action<CanonicalWriter, TKey> writeKey,
        Action<CanonicalWriter, TValue> writeValue)
        where TKey : notnull
    {
        w.WriteUInt32((uint)kernel.Count);
        foreach (var entry in kernel.Ordered())
        {
            w.WriteString(entry.Dot.Origin);
            w.WriteInt64(entry.Dot.Seq);
            writeKey(w, entry.Key);
            writeValue(w, entry.Value);
            KnowledgeCanonicalForm.WriteStamp(w, entry.Stamp);
        }
    }

    public static void WriteString(CanonicalWriter w, string value) => w.WriteString(value);

    public static void WriteNothing(CanonicalWriter w, bool value)
    {
    }
}
