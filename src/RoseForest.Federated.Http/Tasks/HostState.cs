using System.Text.Json;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>
/// What the HTTP host keeps beside the coordinator's snapshot: the evaluation rounds (the open
/// one and the finished ones). Saved as <c>host.json</c> after every change.
/// </summary>
internal sealed class HostState
{
    public int EvaluatedThrough { get; set; }

    public PendingEvaluation? Pending { get; set; }

    public List<EvaluationRecord> Evaluations { get; } = [];

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", 1);
            w.WriteNumber("evaluated_through", EvaluatedThrough);
            if (Pending is { } p)
            {
                w.WriteStartObject("pending");
                w.WriteNumber("round", p.Round);
                w.WriteString("deadline", p.Deadline);
                w.WriteStartArray("clients");
                foreach (var c in p.Clients)
                {
                    w.WriteStringValue(c);
                }

                w.WriteEndArray();
                w.WriteStartArray("results");
                foreach (var r in p.Results.Values.OrderBy(r => r.ClientId, StringComparer.Ordinal))
                {
                    w.WriteStartObject();
                    w.WriteString("client_id", r.ClientId);
                    w.WriteNumber("loss", r.Loss);
                    w.WriteNumber("accuracy", r.Accuracy);
                    w.WriteNumber("sample_count", r.Samples);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteStartArray("evaluations");
            foreach (var e in Evaluations)
            {
                e.Write(w);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static HostState FromJson(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var state = new HostState { EvaluatedThrough = root.GetProperty("evaluated_through").GetInt32() };
        if (root.TryGetProperty("pending", out var p))
        {
            var pending = new PendingEvaluation(p.GetProperty("round").GetInt32(), [.. p.GetProperty("clients").EnumerateArray().Select(c => c.GetString()!)], p.GetProperty("deadline").GetDateTimeOffset());
            foreach (var r in p.GetProperty("results").EnumerateArray())
            {
                var id = r.GetProperty("client_id").GetString()!;
                pending.Results[id] = new EvaluationResult(id, r.GetProperty("loss").GetDouble(), r.GetProperty("accuracy").GetDouble(), r.GetProperty("sample_count").GetInt64());
            }

            state.Pending = pending;
        }

        foreach (var e in root.GetProperty("evaluations").EnumerateArray())
        {
            state.Evaluations.Add(EvaluationRecord.Read(e));
        }

        return state;
    }
}

/// <summary>An open evaluation round: who was asked, until when, and what arrived.</summary>
internal sealed class PendingEvaluation(int round, IReadOnlyList<string> clients, DateTimeOffset deadline)
{
    public int Round { get; } = round;

    public IReadOnlyList<string> Clients { get; } = clients;

    public DateTimeOffset Deadline { get; } = deadline;

    public Dictionary<string, EvaluationResult> Results { get; } = new(StringComparer.Ordinal);
}

/// <summary>One client's evaluation of the global model.</summary>
internal sealed record EvaluationResult(string ClientId, double Loss, double Accuracy, long Samples);

/// <summary>A finished evaluation round: the sample-weighted loss and accuracy (null when nobody answered).</summary>
internal sealed record EvaluationRecord(int Round, IReadOnlyList<string> Participants, double? Loss, double? Accuracy, long Samples)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("round", Round);
        w.WriteStartArray("participants");
        foreach (var c in Participants)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
        if (Loss is { } loss)
        {
            w.WriteNumber("loss", loss);
        }
        else
        {
            w.WriteNull("loss");
        }

        if (Accuracy is { } accuracy)
        {
            w.WriteNumber("accuracy", accuracy);
        }
        else
        {
            w.WriteNull("accuracy");
        }

        w.WriteNumber("sample_count", Samples);
        w.WriteEndObject();
    }

    public static EvaluationRecord Read(JsonElement e) => new(
        e.GetProperty("round").GetInt32(),
        [.. e.GetProperty("participants").EnumerateArray().Select(c => c.GetString()!)],
        e.GetProperty("loss").ValueKind == JsonValueKind.Null ? null : e.GetProperty("loss").GetDouble(),
        e.GetProperty("accuracy").ValueKind == JsonValueKind.Null ? null : e.GetProperty("accuracy").GetDouble(),
        e.GetProperty("sample_count").GetInt64());
}
