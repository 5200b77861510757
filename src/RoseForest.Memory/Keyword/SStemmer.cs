namespace RoseForest.Memory;

/// <summary>
/// Harman's "S" stemmer (1991): folds plural and third-person forms so that "lives" meets "live"
/// and "allergies" meets "allergy", and nothing more aggressive. Rules, on lowercase tokens of at
/// least 4 letters: "-ies" (not "-eies", "-aies") → "-y"; "-es" (not "-aes", "-ees", "-oes") → "-e";
/// "-s" (not "-us", "-ss") → "". Applied to documents and queries alike.
/// </summary>
public static class SStemmer
{
    /// <summary>The stem of one lowercase token.</summary>
    public static string Stem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length < 4 || token[^1] != 's')
        {
            return token;
        }

        if (token.EndsWith("ies", StringComparison.Ordinal) && !token.EndsWith("eies", StringComparison.Ordinal) && !token.EndsWith("aies", StringComparison.Ordinal))
        {
            return token[..^3] + "y";
        }

        if (token.EndsWith("es", StringComparison.Ordinal) && !token.EndsWith("aes", StringComparison.Ordinal) && !token.EndsWith("ees", StringComparison.Ordinal) && !token.EndsWith("oes", StringComparison.Ordinal))
        {
            return token[..^1];
        }

        if (!token.EndsWith("us", StringComparison.Ordinal) && !token.EndsWith("ss", StringComparison.Ordinal))
        {
            return token[..^1];
        }

        return token;
    }
}
