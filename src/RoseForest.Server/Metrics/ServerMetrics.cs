using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RoseForest.Server.Metrics;

/// <summary>The server's instruments: requests by route and status, latency, points per collection.</summary>
internal sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "RoseForest.Server";

    private readonly Meter _meter = new(MeterName);

    public ServerMetrics(IVectorDatabase database)
    {
        Requests = _meter.CreateCounter<long>("roseforest_http_requests_total", "requests", "HTTP requests by route, method and status.");
        Duration = _meter.CreateHistogram<double>("roseforest_http_request_duration_seconds", "s", "HTTP request latency by route and method.");
        _meter.CreateObservableGauge("roseforest_collection_points", () => Collections(database, c => c.PointsCount), "points", "Points per collection.");
        _meter.CreateObservableGauge("roseforest_collection_bytes_on_disk", () => Collections(database, c => c.BytesOnDisk), "bytes", "Bytes on disk per collection (log, snapshots).");
        _meter.CreateObservableGauge("roseforest_collection_bytes_in_memory", () => Collections(database, c => c.BytesInMemory), "bytes", "Estimated bytes in memory per collection.");
        _meter.CreateObservableGauge("roseforest_collection_faulted", () => Collections(database, c => c.Status == CollectionStatus.Faulted ? 1 : 0), "collections", "1 when the collection is faulted (refuses writes, or could not be opened), else 0.");
        _meter.CreateObservableGauge("roseforest_collection_quarantined_records", () => Collections(database, c => c.QuarantinedRecords), "records", "Log records recovery set aside because they could not be applied.");
    }

    /// <summary>This server's meter (one per server: the exporter follows it by instance).</summary>
    public Meter Meter => _meter;

    public Counter<long> Requests { get; }

    public Histogram<double> Duration { get; }

    private static IEnumerable<Measurement<long>> Collections(IVectorDatabase database, Func<CollectionInfo, long> value)
    {
        var result = new List<Measurement<long>>();
        IReadOnlyList<string> names;
        try
        {
            // Observable gauges are read synchronously; the engine answers these calls synchronously.
            names = database.ListCollectionsAsync().GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
            return result; // the server is stopping
        }

        foreach (var name in names)
        {
            try
            {
                var info = database.GetCollectionInfoAsync(name).GetAwaiter().GetResult();
                result.Add(new Measurement<long>(value(info), new KeyValuePair<string, object?>("collection", name)));
            }
            catch (Exception e) when (e is CollectionNotFoundException or ObjectDisposedException)
            {
                // Deleted (or being recovered) between the listing and the read.
            }
        }

        return result;
    }

    /// <summary>Counts and times every request by its route pattern (not its path: bounded label values).</summary>
    public async Task MeasureAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Requests.Add(1, new("route", route), new("method", context.Request.Method), new("status", context.Response.StatusCode));
            Duration.Record(elapsed, new("route", route), new("method", context.Request.Method));
        }
    }

    public void Dispose() => _meter.Dispose();
}
