using Microsoft.Extensions.Hosting;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>Writes pending access counts when the host stops, before the database closes.</summary>
internal sealed class MemoryFlushService(IMemoryStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (store is MemoryStore embedded)
        {
            await embedded.FlushAccessAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
