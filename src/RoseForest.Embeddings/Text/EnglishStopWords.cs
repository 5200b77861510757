using System.Collections.Frozen;

namespace RoseForest.Embeddings.Text;

/// <summary>
/// A short list of English function words (articles, pronouns, auxiliaries, prepositions,
/// conjunctions) that carry little for keyword recall. Lowercase; compared ordinally. Fragments
/// that the tokenizer makes from contractions ("don't" gives "don", "t") are included.
/// </summary>
public static class EnglishStopWords
{
    private static readonly FrozenSet<string> Words = new[]
    {
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "d", "did", "do", "does", "doing", "don", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
        "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
        "just", "ll", "m", "me", "more", "most", "my", "myself", "no", "nor", "not", "now",
        "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
        "re", "s", "same", "she", "should", "so", "some", "such", "t", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "under", "until", "up", "ve", "very", "was", "we", "were", "what", "when", "where", "which", "while",
        "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="token"/> (already lowercase) is a stop word.</summary>
    public static bool Contains(string token) => Words.Contains(token);

    /// <summary>The number of stop words in the list.</summary>
    public static int Count => Words.Count;
}
