using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Cli.Commands;

/// <summary>
/// How the data verbs render contract records, the same for an embedded folder and a server:
/// JSON objects for <c>--json</c>, and the text forms built from them. Only results go to
/// stdout; progress and timings go to stderr.
/// </summary>
internal static class Output
{
    public static JsonObject Info(CollectionInfo info)
    {
        var o = info.Options;
        return new JsonObject
        {
            ["name"] = info.Name,
            ["status"] = info.Status == CollectionStatus.Faulted ? "faulted" : "green",
            ["points_count"] = info.PointsCount,
            ["indexed_vectors_count"] = info.IndexedVectorsCount,
            ["dimension"] = info.Dimension,
            ["geometry"] = GeometryInfo.Name(info.Geometry),
            ["curvature"] = info.Curvature,
            ["durability"] = info.Durability.ToString().ToLowerInvariant(),
            ["hnsw"] = o?.Hnsw is { } h ? new JsonObject { ["m"] = h.M, ["ef_construct"] = h.EfConstruct } : null,
            ["quantization"] = o?.Quantization is not null ? "int8" : null,
            ["last_lsn"] = info.LastLsn,
            ["bytes_on_disk"] = info.BytesOnDisk,
            ["bytes_in_memory"] = info.BytesInMemory,
            ["quarantined_records"] = info.QuarantinedRecords,
            ["fault"] = info.Fault,
        };
    }

    public static JsonObject Snapshot(SnapshotDescription s) => new()
    {
        ["name"] = s.Name,
        ["creation_time"] = s.CreationTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        ["size"] = s.Size,
        ["checksum"] = s.Checksum,
        ["lsn"] = s.Lsn,
    };

    public static JsonObject Hit(ScoredPoint p, bool withPayload)
    {
        var hit = new JsonObject { ["id"] = Id(p.Id), ["score"] = p.Score };
        if (withPayload)
        {
            hit["payload"] = p.Payload is { } payload ? JsonNode.Parse(payload.GetRawText()) : new JsonObject();
        }

        return hit;
    }

    public static JsonObject Recovery(RecoveryResult r) => new()
    {
        ["status"] = "green",
        ["points_count"] = r.PointsCount,
        ["records_replayed"] = r.RecordsReplayed,
        ["records_quarantined"] = r.RecordsQuarantined,
    };

    /// <summary>A point id as JSON: a number or a UUID string.</summary>
    public static JsonNode Id(PointId id) => JsonNode.Parse(QdrantJson.ToUtf8(id.WriteTo))!;

    /// <summary>Writes a table to the current <see cref="Console.Out"/> (a console bound now, so redirected output is honoured).</summary>
    public static void Write(Spectre.Console.Table table) =>
        Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(Console.Out) }).Write(table);

    public static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("G6", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
