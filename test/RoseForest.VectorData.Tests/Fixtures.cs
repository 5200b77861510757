using Microsoft.Extensions.Logging;
using RoseForest.Client;
using RoseForest.Engine;
using RoseForest.Host;

namespace RoseForest.VectorData.Tests;

/// <summary>A database the provider runs over: the embedded engine or a real server through the REST client.</summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private int _next;

    public IVectorDatabase Database { get; protected set; } = null!;

    /// <summary>A collection name no other test of this fixture uses.</summary>
    public string NewName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}";

    private readonly SemaphoreSlim _sharedLock = new(1, 1);

    private readonly Dictionary<string, object> _shared = [];

    /// <summary>A value made once per fixture (a seeded collection several tests read).</summary>
    public async Task<T> SharedAsync<T>(string key, Func<Task<T>> create)
        where T : notnull
    {
        await _sharedLock.WaitAsync();
        try
        {
            if (!_shared.TryGetValue(key, out var value))
            {
                value = await create();
                _shared[key] = value;
            }

            return (T)value;
        }
        finally
        {
            _sharedLock.Release();
        }
    }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}

/// <summary>The engine in process, on a temporary folder.</summary>
public sealed class EmbeddedFixture : DatabaseFixture
{
    private readonly TempDir _dir = new();

    public override async Task InitializeAsync() => Database = await RoseForestDatabase.OpenAsync(_dir.Path);

    public override async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>A real server (the host's REST part) on a free loopback port, reached with RoseForestClient.</summary>
public sealed class RemoteFixture : DatabaseFixture
{
    private readonly TempDir _dir = new();

    private RoseForestServer? _server;

    public override async Task InitializeAsync()
    {
        _server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, DataPath = _dir.Path }, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        Database = new RoseForestClient(new RoseForestClientOptions { BaseAddress = _server.BaseAddress });
    }

    public override async Task DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Dispose();
    }
}
