using System.Text.Json;
using RoseForest.Federated.Model;

namespace RoseForest.Federated.Wire;

/// <summary>
/// A client update on the wire: <c>{"client_id", "round", "kind": "parameters"|"delta",
/// "sample_count", "timestamp_ms", "metrics": {"loss", "accuracy", "extra": {name: number}},
/// "tensors": [...]}</c>, as JSON or as a frame (<see cref="TensorWire"/>).
/// </summary>
public static class UpdateWire
{
    private static readonly string[] Members = ["client_id", "round", "kind", "sample_count", "timestamp_ms", "metrics", "tensors"];

    /// <summary>Writes the update's members (not the enclosing object); tensors inline unless <paramref name="withData"/> is false.</summary>
    public static void WriteMembers(Utf8JsonWriter writer, ClientUpdate update, bool withData = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(update);
        writer.WriteString("client_id", update.ClientId);
        writer.WriteNumber("round", update.Round);
        writer.WriteString("kind", update.Kind == UpdateKind.Delta ? "delta" : "parameters");
        writer.WriteNumber("sample_count", update.SampleCount);
        writer.WriteNumber("timestamp_ms", update.TimestampUnixMs);
        WriteMetrics(writer, update.Metrics);
        if (withData)
        {
            TensorWire.WriteTensors(writer, update.Tensors);
        }
    }

    /// <summary>The update as a JSON document.</summary>
    public static byte[] ToJson(ClientUpdate update)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteMembers(writer, update);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The update as a frame.</summary>
    public static byte[] ToFrame(ClientUpdate update) => TensorWire.EncodeFrame(w => WriteMembers(w, update, withData: false), update.Tensors);

    /// <summary>Reads an update from a JSON body or a frame's header and payload.</summary>
    public static ClientUpdate Read(JsonElement body, ReadOnlyMemory<byte>? payload = null)
    {
        WireJson.RequireObject(body, string.Empty, Members);
        var clientId = WireJson.String(body, "client_id", string.Empty) ?? throw new WireFormatException("client_id", "is required.");
        var round = (int)(WireJson.Integer(body, "round", string.Empty, 0, int.MaxValue) ?? throw new WireFormatException("round", "is required."));
        var kind = WireJson.String(body, "kind", string.Empty) switch
        {
            null or "parameters" => UpdateKind.Parameters,
            "delta" => UpdateKind.Delta,
            var other => throw new WireFormatException("kind", $"must be \"parameters\" or \"delta\", got \"{other}\"."),
        };
        var samples = (int)(WireJson.Integer(body, "sample_count", string.Empty, int.MinValue, int.MaxValue) ?? throw new WireFormatException("sample_count", "is required."));
        var timestamp = WireJson.Integer(body, "timestamp_ms", string.Empty, 0) ?? 0;
        var metrics = WireJson.Optional(body, "metrics") is { } m ? ReadMetrics(m, "metrics") : UpdateMetrics.None;
        var tensors = TensorWire.ReadTensors(WireJson.Required(body, "tensors", string.Empty), "tensors", payload);
        return new ClientUpdate(clientId, round, tensors, samples, kind, metrics, timestamp);
    }

    /// <summary>Writes <c>"metrics": {...}</c>.</summary>
    public static void WriteMetrics(Utf8JsonWriter writer, UpdateMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metrics);
        writer.WriteStartObject("metrics");
        writer.WriteNumber("loss", metrics.Loss);
        writer.WriteNumber("accuracy", metrics.Accuracy);
        if (metrics.Extra is { Count: > 0 } extra)
        {
            writer.WriteStartObject("extra");
            foreach (var (key, value) in extra.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a metrics object (loss and accuracy default to 0).</summary>
    public static UpdateMetrics ReadMetrics(JsonElement metrics, string field)
    {
        WireJson.RequireObject(metrics, field, "loss", "accuracy", "extra");
        var loss = (float)(WireJson.Number(metrics, "loss", field) ?? 0);
        var accuracy = (float)(WireJson.Number(metrics, "accuracy", field) ?? 0);
        Dictionary<string, double>? extra = null;
        if (WireJson.Optional(metrics, "extra") is { } e)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new WireFormatException(field + ".extra", "must be an object of numbers.");
            }

            extra = [];
            foreach (var p in e.EnumerateObject())
            {
                extra[p.Name] = WireJson.Number(e, p.Name, field + ".extra") ?? throw new WireFormatException($"{field}.extra.{p.Name}", "must be a number.");
            }
        }

        return new UpdateMetrics(loss, accuracy, extra);
    }
}
