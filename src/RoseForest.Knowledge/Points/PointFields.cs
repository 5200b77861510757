namespace RoseForest.Knowledge.Points;

/// <summary>
/// The fields of a point record: its vector, one field per top-level payload key, and the delete
/// marker. Concurrent writes to different payload keys both survive; writes to the same field are
/// concurrent versions settled by the collection's conflict strategy.
/// </summary>
public static class PointFields
{
    /// <summary>The vector field.</summary>
    public const string Vector = "vector";

    /// <summary>The delete marker: a delete removes every entry it observed and leaves one of these.</summary>
    public const string Deleted = "deleted";

    /// <summary>The prefix of payload fields: <c>payload.</c> then the top-level key.</summary>
    public const string PayloadPrefix = "payload.";

    /// <summary>The field that holds a top-level payload key.</summary>
    public static string Payload(string key) => PayloadPrefix + key;

    /// <summary>True for a payload field; <paramref name="key"/> is its top-level key.</summary>
    public static bool IsPayload(string field, out string key)
    {
        if (field.StartsWith(PayloadPrefix, StringComparison.Ordinal))
        {
            key = field[PayloadPrefix.Length..];
            return true;
        }

        key = string.Empty;
        return false;
    }

    /// <summary>True when the name is one of the fields a record may hold.</summary>
    public static bool IsValid(string field) => field is Vector or Deleted || field.StartsWith(PayloadPrefix, StringComparison.Ordinal);
}
