using System.Text;

namespace RoseForest.Embeddings.MiniLm;

/// <summary>
/// What the generator does to a text before the package's tokenizer sees it. That tokenizer splits
/// words on the space character only (and on "\r\n"), so a lone "\n" or a tab glues two words into
/// one that the vocabulary lacks and the pair becomes <c>[UNK]</c>: "line one\nline two" reads as
/// "line one [UNK] two". Every run of whitespace is therefore folded into one space, and the text
/// trimmed. Changing this changes the vectors: bump <see cref="Version"/> with it.
/// </summary>
internal static class MiniLmText
{
    /// <summary>The version of this normalisation, part of the generator's model version.</summary>
    public const string Version = "ws1";

    public static string Normalize(string text)
    {
        bool clean = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) && (c != ' ' || i == 0 || i == text.Length - 1 || text[i - 1] == ' '))
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
