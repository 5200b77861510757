using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// The index telemetry as observable gauges on the engine's meter, one series per collection
/// (label <c>collection</c>): latency percentiles, hops and visited nodes per search, the recall
/// estimate and its interval, tombstone fraction, unreachable nodes, hub concentration and the
/// default ef. Read at scrape time from each collection's last controller pass.
/// </summary>
internal static class IndexMetrics
{
    private static readonly ConcurrentDictionary<Collection, byte> Collections = new();

    static IndexMetrics()
    {
        Gauge("roseforest_index_latency_p50_seconds", "s", "Query latency, 50th percentile, since the previous optimizer pass.", t => t.LatencyP50Ms / 1000);
        Gauge("roseforest_index_latency_p95_seconds", "s", "Query latency, 95th percentile, since the previous optimizer pass.", t => t.LatencyP95Ms / 1000);
        Gauge("roseforest_index_latency_p99_seconds", "s", "Query latency, 99th percentile, since the previous optimizer pass.", t => t.LatencyP99Ms / 1000);
        Gauge("roseforest_index_hops_mean", "nodes", "Layer-0 nodes expanded per graph search.", t => t.HopsMean);
        Gauge("roseforest_index_visited_mean", "nodes", "Layer-0 nodes scored per graph search.", t => t.VisitedMean);
        Gauge("roseforest_index_recall_estimate", "ratio", "Online recall@10 estimate at the default ef (sampled queries re-run exactly).", t => t.RecallEstimate);
        Gauge("roseforest_index_recall_low", "ratio", "Low end of the recall estimate's 95% interval.", t => t.RecallLow);
        Gauge("roseforest_index_recall_high", "ratio", "High end of the recall estimate's 95% interval.", t => t.RecallHigh);
        Gauge("roseforest_index_tombstone_fraction", "ratio", "Tombstones over graph nodes.", t => t.TombstoneFraction);
        Gauge("roseforest_index_unreachable_nodes", "nodes", "Live nodes not reachable from the entry point over layer 0.", t => t.Unreachable);
        Gauge("roseforest_index_hub_concentration", "ratio", "Share of layer-0 links held by the top 1% of nodes by in-degree.", t => t.HubConcentration);
        Gauge("roseforest_index_in_degree_max", "links", "Largest layer-0 in-degree.", t => t.InDegreeMax);
        Gauge("roseforest_index_default_ef", "nodes", "The ef searches use when a request gives none.", t => t.DefaultEf);
        EngineMetrics.Meter.CreateObservableCounter("roseforest_index_queries_total", () => Observe(t => t.Queries), "queries", "Queries recorded by the index telemetry.");
    }

    public static void Register(Collection collection) => Collections[collection] = 0;

    public static void Unregister(Collection collection) => Collections.TryRemove(collection, out _);

    private static void Gauge(string name, string unit, string description, Func<IndexTelemetry, double?> value) =>
        EngineMetrics.Meter.CreateObservableGauge(name, () => Observe(value), unit, description);

    private static IEnumerable<Measurement<double>> Observe(Func<IndexTelemetry, double?> value)
    {
        foreach (var collection in Collections.Keys)
        {
            if (collection.Optimizer is { } optimizer && optimizer.LastTelemetry is { } telemetry && value(telemetry) is { } v)
            {
                yield return new Measurement<double>(v, new KeyValuePair<string, object?>("collection", collection.Name));
            }
        }
    }

    private static IEnumerable<Measurement<long>> Observe(Func<IndexTelemetry, long> value)
    {
        foreach (var collection in Collections.Keys)
        {
            if (collection.Optimizer is { } optimizer && optimizer.LastTelemetry is { } telemetry)
            {
                yield return new Measurement<long>(value(telemetry), new KeyValuePair<string, object?>("collection", collection.Name));
            }
        }
    }
}
