using System.Globalization;
using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    /// <summary>Qdrant's SnapshotDescription (<c>name</c>, <c>creation_time</c> without zone, <c>size</c>, <c>checksum</c>), plus RoseForest's <c>lsn</c>.</summary>
    public static void WriteSnapshot(Utf8JsonWriter w, SnapshotDescription s)
    {
        w.WriteStartObject();
        w.WriteString("name", s.Name);
        w.WriteString("creation_time", s.CreationTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        w.WriteNumber("size", s.Size);
        w.WriteString("checksum", s.Checksum);
        w.WriteNumber("lsn", s.Lsn);
        w.WriteEndObject();
    }

    /// <summary>Reads a SnapshotDescription.</summary>
    public static SnapshotDescription ReadSnapshot(JsonElement e) => new(
        e.GetProperty("name").GetString()!,
        DateTimeOffset.ParseExact(e.GetProperty("creation_time").GetString()!, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        e.GetProperty("size").GetInt64(),
        JsonFields.Get(e, "checksum")?.GetString() ?? string.Empty,
        JsonFields.Get(e, "lsn")?.GetInt64() ?? 0);

    /// <summary>PUT …/snapshots/recover: <c>location</c> (required) and <c>checksum</c>.</summary>
    public static (string Location, string? Checksum) ReadSnapshotRecover(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, "location", "priority", "checksum", "api_key");
        var location = JsonFields.String(body, "location", string.Empty) ?? throw new ValidationException("location", "is required.");
        return (location, JsonFields.String(body, "checksum", string.Empty));
    }
}
