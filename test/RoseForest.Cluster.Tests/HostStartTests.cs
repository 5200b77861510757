using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RoseForest.Host;

namespace RoseForest.Cluster.Tests;

/// <summary>The host in cluster mode with parts that use the database while the host starts (agent memory, knowledge do).</summary>
[Collection(PostgresCollection.Name)]
public class HostStartTests(PostgresFixture pg)
{
    [Fact]
    public async Task A_part_that_reads_the_database_while_starting_finds_the_cluster_joined()
    {
        var connectionString = await pg.CreateDatabaseAsync();
        using var folder = new TempDir();
        var part = new StartupReader();
        await using var server = await RoseForestServer.StartAsync(
            new ServerOptions { Port = 0, DataPath = folder.Path, Cluster = connectionString },
            logging: l => l.AddFilter(_ => false),
            parts: [.. RoseForestServer.DefaultParts, part]);
        Assert.False(part.Existed);
        Assert.NotNull(server.Cluster);
    }

    private sealed class StartupReader : IServerPart, IHostedService
    {
        public bool? Existed { get; private set; }

        private IVectorDatabase? _db;

        public void ConfigureServices(WebApplicationBuilder builder, ServerOptions options) =>
            builder.Services.AddSingleton<IHostedService>(sp =>
            {
                _db = sp.GetRequiredService<IVectorDatabase>();
                return this;
            });

        public void UseMiddleware(WebApplication app)
        {
        }

        public void MapEndpoints(WebApplication app)
        {
        }

        public async Task StartAsync(CancellationToken cancellationToken) =>
            Existed = await _db!.CollectionExistsAsync("memories", cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
