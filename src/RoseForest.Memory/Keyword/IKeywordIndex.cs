using System.Text.Json;

namespace RoseForest.Memory;

/// <summary>
/// The keyword side of hybrid recall: BM25 over the memories' text. Today
/// <see cref="Bm25KeywordIndex"/> keeps it in memory, rebuilt from the collection when the store
/// opens and kept in step by every write the store makes; when the engine has sparse vectors with
/// Qdrant's idf modifier (issue 12), an implementation over a sparse named vector replaces it
/// behind this interface. Each entry carries a filter view of its memory's payload (no text, no
/// history) so that keyword hits obey the same filter as vector hits.
/// </summary>
public interface IKeywordIndex
{
    /// <summary>How many memories are indexed.</summary>
    int Count { get; }

    /// <summary>Adds or replaces a memory's text and filter view.</summary>
    void Upsert(Guid id, string text, JsonElement view);

    /// <summary>Replaces a memory's filter view (its text unchanged); false when it is not indexed.</summary>
    bool UpdateView(Guid id, JsonElement view);

    /// <summary>Removes a memory; false when it was not indexed.</summary>
    bool Remove(Guid id);

    /// <summary>
    /// The best <paramref name="limit"/> memories by BM25 that share a term with the query and
    /// that <paramref name="accept"/> lets through (given the id and filter view), best first.
    /// </summary>
    IReadOnlyList<KeywordHit> Search(string query, int limit, Func<Guid, JsonElement, bool>? accept = null);

    /// <summary>One memory's BM25 score and coverage for a query (zeros when it is not indexed).</summary>
    KeywordHit Score(string query, Guid id);

    /// <summary>Every indexed memory that <paramref name="accept"/> lets through.</summary>
    IReadOnlyList<Guid> Select(Func<Guid, JsonElement, bool> accept);
}

/// <summary>A keyword match.</summary>
/// <param name="Id">The memory.</param>
/// <param name="Score">BM25 (k1 1.2, b 0.75, Qdrant's idf).</param>
/// <param name="Coverage">The share of the query's idf weight whose terms the memory contains (0 to 1).</param>
public readonly record struct KeywordHit(Guid Id, double Score, double Coverage);
