using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RoseForest.Federated.Client;
using RoseForest.Federated.Model;
using RoseForest.Host;

namespace RoseForest.Federated.Bench.Experiments;

/// <summary>
/// Seconds and bytes per round over real HTTP on loopback: an in-process server, ten runner
/// clients whose "training" is a fixed cheap perturbation (so the time is the protocol's: wire
/// forms, masking, key agreement, Shamir sharing, unmasking), with and without secure aggregation.
/// </summary>
internal static class CostOverHttp
{
    public sealed record Result(double SecondsPerRound, double ModelBytesPerRound, double SecAggBytesPerRound, double PollBytesPerRound);

    public static async Task<Result> RunAsync(ModelParameters initial, int clients, int rounds, bool binary, bool secure)
    {
        await using var server = await RoseForestServer.StartAsync(new ServerOptions { Port = 0, InMemory = true }, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(counter) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        var fl = new FederatedHttpClient(http);
        var spec = new JsonObject
        {
            ["task_id"] = "cost",
            ["rounds"] = rounds,
            ["min_fit_clients"] = clients,
            ["min_available_clients"] = clients,
            ["seed"] = 1,
        };
        if (secure)
        {
            spec["secure_aggregation"] = new JsonObject { ["threshold"] = ((2 * clients) + 2) / 3, ["max_samples"] = 10_000, ["clip_range"] = 8 };
        }

        await fl.CreateTaskAsync(spec, initial, binary);
        counter.Reset();
        var options = new FederatedRunnerOptions { BinaryTensors = binary, PollInterval = TimeSpan.FromMilliseconds(10) };
        var runners = Enumerable.Range(0, clients).Select(i => new FederatedClientRunner(fl, "cost", $"client-{i}", new NudgeLearner(i), options)).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(runners.Select(r => r.RunAsync()));
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(seconds / rounds, counter.Model / (double)rounds, counter.SecAgg / (double)rounds, counter.Polls / (double)rounds);
    }

    /// <summary>A client whose fit adds a small deterministic nudge to every parameter: no training time.</summary>
    private sealed class NudgeLearner(int index) : IFederatedClient
    {
        public ModelParameters GetParameters() => throw new NotSupportedException();

        public Task<FitResult> FitAsync(ModelParameters global, IReadOnlyDictionary<string, double> config, CancellationToken cancellationToken)
        {
            var flat = global.Flatten();
            for (var i = 0; i < flat.Length; i++)
            {
                flat[i] += 0.001f * MathF.Sin(i + index);
            }

            return Task.FromResult(new FitResult(global.WithFlatValues(flat), 6000, new UpdateMetrics(0.5f, 0.8f)));
        }

        public Task<EvaluateResult> EvaluateAsync(ModelParameters global, IReadOnlyDictionary<string, double> config, CancellationToken cancellationToken) =>
            Task.FromResult(new EvaluateResult(0.5, 0.8, 1000));
    }

    /// <summary>Counts request and response bytes (bodies), by kind of route.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private long _model;
        private long _secAgg;
        private long _polls;

        public long Model => Interlocked.Read(ref _model);

        public long SecAgg => Interlocked.Read(ref _secAgg);

        public long Polls => Interlocked.Read(ref _polls);

        public void Reset() => (_model, _secAgg, _polls) = (0, 0, 0);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = request.Content is null ? 0 : (await request.Content.ReadAsByteArrayAsync(cancellationToken)).Length;
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var received = (await response.Content.ReadAsByteArrayAsync(cancellationToken)).Length;
            var path = request.RequestUri!.AbsolutePath;
            var total = sent + received;
            if (path.Contains("/secagg/", StringComparison.Ordinal) || (path.EndsWith("/secagg", StringComparison.Ordinal) && received > 600))
            {
                Interlocked.Add(ref _secAgg, total);
            }
            else if (path.EndsWith("/updates", StringComparison.Ordinal) || (path.EndsWith("/round", StringComparison.Ordinal) && received > 600))
            {
                Interlocked.Add(ref _model, total);
            }
            else
            {
                Interlocked.Add(ref _polls, total);
            }

            return response;
        }
    }
}
