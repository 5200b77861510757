using RoseForest.Federated.Model;

namespace RoseForest.Federated.Tests.Coordination;

/// <summary>Clients whose update depends only on (client, round, global model), so runs can be replayed.</summary>
internal static class SimulatedClients
{
    public static string[] Ids(int n) => [.. Enumerable.Range(0, n).Select(i => $"c{i:00}")];

    public static ClientUpdate Train(string clientId, int round, ModelParameters global)
    {
        var index = int.Parse(clientId[1..], System.Globalization.CultureInfo.InvariantCulture);
        var rng = new Random((index * 1000) + round);
        var values = global.Flatten().Select(v => v + (float)((rng.NextDouble() - 0.5) * 0.2) + (index * 0.01f)).ToArray();
        var metrics = new UpdateMetrics((float)rng.NextDouble(), (float)rng.NextDouble());
        return new ClientUpdate(clientId, round, global.WithFlatValues(values), 10 + index, UpdateKind.Parameters, metrics, 1000 + round);
    }
}
