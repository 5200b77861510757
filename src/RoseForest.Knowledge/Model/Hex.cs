namespace RoseForest.Knowledge.Model;

/// <summary>Lowercase hexadecimal, the text form of ids, keys and signatures in this library.</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static bool IsLowercaseHex(string text, int length)
    {
        if (text.Length != length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
            {
                return false;
            }
        }

        return true;
    }

    public static byte[] Parse(string text, int byteLength, string field)
    {
        if (!IsLowercaseHex(text, byteLength * 2))
        {
            throw new KnowledgeValidationException(field, $"must be {byteLength * 2} lowercase hex digits");
        }

        return Convert.FromHexString(text);
    }
}
