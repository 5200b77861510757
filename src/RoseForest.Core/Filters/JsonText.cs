using System.Runtime.InteropServices;
using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>Reads JSON strings during evaluation without allocating when they hold no escapes.</summary>
internal static class JsonText
{
    /// <summary>
    /// The string's UTF-8 content, straight from the document, when it has no escape sequences;
    /// false for strings with escapes (the caller then falls back to <see cref="JsonElement.GetString"/>).
    /// </summary>
    public static bool TryGetUtf8(JsonElement value, out ReadOnlySpan<byte> utf8)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length >= 2 && raw[0] == (byte)'"' && raw.IndexOf((byte)'\\') < 0)
        {
            utf8 = raw[1..^1];
            return true;
        }

        utf8 = default;
        return false;
    }
}
