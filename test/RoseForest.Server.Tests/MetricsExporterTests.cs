using System.Reflection;
using RoseForest.Engine;
using RoseForest.Server.Metrics;

namespace RoseForest.Server.Tests;

/// <summary>
/// GET /metrics reads every observable gauge at scrape time. CI once answered it with a 500 in
/// OptimizerApiTests: the exporter followed meters by name, so it also read the gauges of another
/// test's server in the same process, whose database was being disposed, and the listener threw.
/// </summary>
public class MetricsExporterTests
{
    /// <summary>A database that is gone: every call throws ObjectDisposedException.</summary>
    public class DisposedDatabase : DispatchProxy
    {
        public static IVectorDatabase Create() => Create<IVectorDatabase, DisposedDatabase>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new ObjectDisposedException("database");
    }

    [Fact]
    public async Task A_scrape_reads_only_its_own_server_and_survives_a_database_that_is_gone()
    {
        await using var db = RoseForestDatabase.CreateInMemory();
        await db.CreateCollectionAsync("mine", new CollectionOptions { Dimension = 2, Geometry = Geometry.Euclid });
        using var own = new ServerMetrics(db);
        using var other = new ServerMetrics(DisposedDatabase.Create()); // a second server in the process, stopping
        using var exporter = new PrometheusExporter(own.Meter);

        var text = exporter.Scrape();
        Assert.Contains("roseforest_collection_points{collection=\"mine\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("roseforest_metrics_observe_errors_total 0", text, StringComparison.Ordinal);

        // The stopping server's own scrape still answers, without collection series.
        using var stopping = new PrometheusExporter(other.Meter);
        Assert.DoesNotContain("roseforest_collection_points{", stopping.Scrape(), StringComparison.Ordinal);
    }
}
