using System.Text.Json;

namespace RoseForest.Contracts.Qdrant;

public static partial class QdrantJson
{
    private static readonly string[] OptimizerSettingFields =
    [
        "enabled", "target_recall", "sample_rate", "recall_margin", "interval_seconds", "weights", "min_ef", "max_ef",
    ];

    private static double? ReadTargetRecall(JsonElement obj, string field)
    {
        if (JsonFields.Get(obj, "target_recall") is { ValueKind: JsonValueKind.Null })
        {
            return null;
        }

        var target = JsonFields.Double(obj, "target_recall", field);
        if (target is { } t && !(t > 0 && t <= 1))
        {
            throw new ValidationException(JsonFields.Join(field, "target_recall"), $"must be in (0, 1], got {t}.");
        }

        return target;
    }

    /// <summary>
    /// The body of <c>PUT /collections/{name}/optimizer</c> (RoseForest's): the controller's settings,
    /// every field optional; an unknown field or a value out of range is refused naming it.
    /// <c>"target_recall": null</c> clears the target.
    /// </summary>
    public static OptimizerSettings ReadOptimizerSettings(JsonElement body)
    {
        JsonFields.Object(body, string.Empty, OptimizerSettingFields);
        double? latency = null, recall = null, memory = null, action = null;
        if (JsonFields.Get(body, "weights") is { } weights)
        {
            JsonFields.Object(weights, "weights", "latency", "recall", "memory", "action");
            latency = JsonFields.Double(weights, "latency", "weights");
            recall = JsonFields.Double(weights, "recall", "weights");
            memory = JsonFields.Double(weights, "memory", "weights");
            action = JsonFields.Double(weights, "action", "weights");
        }

        var settings = new OptimizerSettings
        {
            Enabled = JsonFields.Bool(body, "enabled", string.Empty),
            TargetRecall = ReadTargetRecall(body, string.Empty),
            ClearTargetRecall = JsonFields.Get(body, "target_recall") is { ValueKind: JsonValueKind.Null },
            SampleRate = JsonFields.Double(body, "sample_rate", string.Empty),
            RecallMargin = JsonFields.Double(body, "recall_margin", string.Empty),
            IntervalSeconds = JsonFields.Double(body, "interval_seconds", string.Empty),
            LatencyWeight = latency,
            RecallWeight = recall,
            MemoryWeight = memory,
            ActionWeight = action,
            MinEf = JsonFields.Int(body, "min_ef", string.Empty, 1, 65536),
            MaxEf = JsonFields.Int(body, "max_ef", string.Empty, 1, 65536),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>
    /// The target recall a <c>PATCH /collections/{name}</c> body sets through
    /// <c>hnsw_config.target_recall</c> (the one hnsw_config field that can change on an existing
    /// collection), or null when it sets none. Call after <see cref="ReadCollectionUpdate"/>.
    /// </summary>
    public static OptimizerSettings? ReadCollectionUpdateTuning(JsonElement body)
    {
        if (JsonFields.Get(body, "hnsw_config") is not { ValueKind: JsonValueKind.Object } hnsw)
        {
            return null;
        }

        var clear = JsonFields.Get(hnsw, "target_recall") is { ValueKind: JsonValueKind.Null };
        return new OptimizerSettings { TargetRecall = ReadTargetRecall(hnsw, "hnsw_config"), ClearTargetRecall = clear };
    }

    /// <summary>Writes the controller's settings in the shape <see cref="ReadOptimizerSettings"/> reads.</summary>
    public static void WriteOptimizerSettings(Utf8JsonWriter w, OptimizerSettings s)
    {
        w.WriteStartObject();
        WriteOptionalBool(w, "enabled", s.Enabled);
        if (s.TargetRecall is { } t)
        {
            w.WriteNumber("target_recall", t);
        }
        else
        {
            w.WriteNull("target_recall");
        }

        WriteOptionalNumber(w, "sample_rate", s.SampleRate);
        WriteOptionalNumber(w, "recall_margin", s.RecallMargin);
        WriteOptionalNumber(w, "interval_seconds", s.IntervalSeconds);
        w.WriteStartObject("weights");
        WriteOptionalNumber(w, "latency", s.LatencyWeight);
        WriteOptionalNumber(w, "recall", s.RecallWeight);
        WriteOptionalNumber(w, "memory", s.MemoryWeight);
        WriteOptionalNumber(w, "action", s.ActionWeight);
        w.WriteEndObject();
        WriteOptionalNumber(w, "min_ef", s.MinEf);
        WriteOptionalNumber(w, "max_ef", s.MaxEf);
        w.WriteEndObject();
    }

    /// <summary>GET /collections/{name}/optimizer: settings, telemetry, findings, history.</summary>
    public static void WriteOptimizerReport(Utf8JsonWriter w, OptimizerReport r)
    {
        w.WriteStartObject();
        w.WritePropertyName("settings");
        WriteOptimizerSettings(w, r.Settings);
        w.WriteNumber("passes", r.Passes);
        w.WriteNumber("cost", r.Cost);
        w.WritePropertyName("telemetry");
        WriteTelemetry(w, r.Telemetry);
        w.WriteStartArray("findings");
        foreach (var f in r.Findings)
        {
            w.WriteStartObject();
            w.WriteString("detector", f.Detector);
            w.WriteNumber("value", f.Value);
            w.WriteNumber("threshold", f.Threshold);
            if (f.Region is { } region)
            {
                w.WriteNumber("region", region);
            }

            w.WriteString("detail", f.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("history");
        foreach (var a in r.History)
        {
            w.WriteStartObject();
            w.WriteString("time", a.Time);
            w.WriteString("action", a.Action);
            w.WriteString("reason", a.Reason);
            w.WriteString("detail", a.Detail);
            w.WriteNumber("cost_before", a.CostBefore);
            w.WriteNumber("predicted_cost", a.PredictedCost);
            w.WriteNumber("duration_ms", a.DurationMs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The telemetry object of the optimizer report and of collection info's <c>roseforest.telemetry</c>.</summary>
    public static void WriteTelemetry(Utf8JsonWriter w, IndexTelemetry t)
    {
        w.WriteStartObject();
        w.WriteNumber("queries", t.Queries);
        w.WriteNumber("latency_p50_ms", t.LatencyP50Ms);
        w.WriteNumber("latency_p95_ms", t.LatencyP95Ms);
        w.WriteNumber("latency_p99_ms", t.LatencyP99Ms);
        w.WriteNumber("visited_mean", t.VisitedMean);
        w.WriteNumber("hops_mean", t.HopsMean);
        w.WriteNumber("hops_baseline", t.HopsBaseline);
        if (t.RecallEstimate is { } recall)
        {
            w.WriteStartObject("recall");
            w.WriteNumber("estimate", recall);
            w.WriteNumber("low", t.RecallLow ?? recall);
            w.WriteNumber("high", t.RecallHigh ?? recall);
            w.WriteNumber("samples", t.RecallSamples);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("recall");
        }

        w.WriteNumber("default_ef", t.DefaultEf);
        w.WriteNumber("graph_nodes", t.GraphNodes);
        w.WriteNumber("tombstone_fraction", t.TombstoneFraction);
        w.WriteNumber("unreachable", t.Unreachable);
        w.WriteStartObject("degree");
        w.WriteNumber("out_mean", t.OutDegreeMean);
        w.WriteNumber("out_max", t.OutDegreeMax);
        w.WriteNumber("in_mean", t.InDegreeMean);
        w.WriteNumber("in_max", t.InDegreeMax);
        w.WriteStartArray("in_histogram");
        foreach (var c in t.InDegreeHistogram)
        {
            w.WriteNumberValue(c);
        }

        w.WriteEndArray();
        w.WriteNumber("hub_concentration", t.HubConcentration);
        w.WriteEndObject();
        w.WriteStartObject("regions");
        w.WriteString("kind", t.RegionKind);
        WriteLongs(w, "visits", t.RegionVisits);
        WriteLongs(w, "recent_visits", t.RecentRegionVisits);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Reads what <see cref="WriteTelemetry"/> wrote.</summary>
    public static IndexTelemetry ReadTelemetry(JsonElement e)
    {
        var recall = JsonFields.Get(e, "recall") is { ValueKind: JsonValueKind.Object } r ? r : (JsonElement?)null;
        var degree = e.GetProperty("degree");
        var regions = e.GetProperty("regions");
        return new IndexTelemetry
        {
            Queries = e.GetProperty("queries").GetInt64(),
            LatencyP50Ms = e.GetProperty("latency_p50_ms").GetDouble(),
            LatencyP95Ms = e.GetProperty("latency_p95_ms").GetDouble(),
            LatencyP99Ms = e.GetProperty("latency_p99_ms").GetDouble(),
            VisitedMean = e.GetProperty("visited_mean").GetDouble(),
            HopsMean = e.GetProperty("hops_mean").GetDouble(),
            HopsBaseline = e.GetProperty("hops_baseline").GetDouble(),
            RecallEstimate = recall?.GetProperty("estimate").GetDouble(),
            RecallLow = recall?.GetProperty("low").GetDouble(),
            RecallHigh = recall?.GetProperty("high").GetDouble(),
            RecallSamples = recall?.GetProperty("samples").GetInt32() ?? 0,
            DefaultEf = e.GetProperty("default_ef").GetInt32(),
            GraphNodes = e.GetProperty("graph_nodes").GetInt32(),
            TombstoneFraction = e.GetProperty("tombstone_fraction").GetDouble(),
            Unreachable = e.GetProperty("unreachable").GetInt32(),
            OutDegreeMean = degree.GetProperty("out_mean").GetDouble(),
            OutDegreeMax = degree.GetProperty("out_max").GetInt32(),
            InDegreeMean = degree.GetProperty("in_mean").GetDouble(),
            InDegreeMax = degree.GetProperty("in_max").GetInt32(),
            InDegreeHistogram = [.. degree.GetProperty("in_histogram").EnumerateArray().Select(x => x.GetInt32())],
            HubConcentration = degree.GetProperty("hub_concentration").GetDouble(),
            RegionKind = regions.GetProperty("kind").GetString() ?? "kmeans",
            RegionVisits = [.. regions.GetProperty("visits").EnumerateArray().Select(x => x.GetInt64())],
            RecentRegionVisits = [.. regions.GetProperty("recent_visits").EnumerateArray().Select(x => x.GetInt64())],
        };
    }

    private static void WriteLongs(Utf8JsonWriter w, string name, IReadOnlyList<long> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteOptionalBool(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is { } v)
        {
            w.WriteBoolean(name, v);
        }
    }
}
