using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.VectorData;

namespace DocumentSearch;

/// <summary>One paragraph of a text file; its vector is generated from <see cref="Text"/>.</summary>
public sealed class Passage
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string File { get; set; } = "";

    [VectorStoreData]
    public int Paragraph { get; set; }

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    /// <summary>The text to embed: the collection's embedding generator turns it into the vector.</summary>
    [VectorStoreVector(384)]
    public string? Embedding { get; set; }
}

/// <summary>Indexes a folder's text files paragraph by paragraph and searches them.</summary>
public static class DocumentIndex
{
    /// <summary>Upserts every paragraph of every *.txt and *.md file under <paramref name="folder"/>; returns how many.</summary>
    public static async Task<int> IndexFolderAsync(VectorStoreCollection<Guid, Passage> passages, string folder, CancellationToken cancellationToken = default)
    {
        await passages.EnsureCollectionExistsAsync(cancellationToken);
        var batch = new List<Passage>();
        var total = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file);
            var paragraphs = (await File.ReadAllTextAsync(file, cancellationToken))
                .Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < paragraphs.Length; i++)
            {
                // The same file and paragraph always get the same id, so indexing again replaces.
                batch.Add(new Passage { Id = StableId(relative, i), File = relative, Paragraph = i, Text = paragraphs[i], Embedding = paragraphs[i] });
                if (batch.Count == 64)
                {
                    await passages.UpsertAsync(batch, cancellationToken);
                    total += batch.Count;
                    batch.Clear();
                }
            }
        }

        await passages.UpsertAsync(batch, cancellationToken);
        return total + batch.Count;
    }

    /// <summary>The passages nearest in meaning to <paramref name="query"/>, best first.</summary>
    public static async Task<List<VectorSearchResult<Passage>>> SearchAsync(VectorStoreCollection<Guid, Passage> passages, string query, int top = 5, CancellationToken cancellationToken = default)
    {
        var results = new List<VectorSearchResult<Passage>>();
        await foreach (var hit in passages.SearchAsync(query, top, cancellationToken: cancellationToken))
        {
            results.Add(hit);
        }

        return results;
    }

    private static Guid StableId(string file, int paragraph)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{file}\n{paragraph}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
