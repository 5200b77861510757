using System.Text.Json;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>Evaluation rounds: after every <see cref="Every"/>-th fit round (and the last), a fraction of the clients evaluate the global model.</summary>
internal sealed class EvaluationSpec
{
    public int Every { get; private init; } = 1;

    public double Fraction { get; private init; } = 1.0;

    public int MinClients { get; private init; } = 1;

    public TimeSpan Timeout { get; private init; }

    public bool IsDue(int round, int rounds) => round % Every == 0 || round == rounds;

    public static EvaluationSpec Read(JsonElement e, string field, TimeSpan roundTimeout)
    {
        WireJson.RequireObject(e, field, "every", "fraction", "min_clients", "timeout_seconds");
        return new EvaluationSpec
        {
            Every = (int)(WireJson.Integer(e, "every", field, 1, 1_000_000) ?? 1),
            Fraction = WireJson.Number(e, "fraction", field, 1e-9, 1) ?? 1.0,
            MinClients = (int)(WireJson.Integer(e, "min_clients", field, 1, 100_000) ?? 1),
            Timeout = TimeSpan.FromSeconds(WireJson.Number(e, "timeout_seconds", field, 0.001, 7 * 86400) ?? roundTimeout.TotalSeconds),
        };
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("every", Every);
        w.WriteNumber("fraction", Fraction);
        w.WriteNumber("min_clients", MinClients);
        w.WriteNumber("timeout_seconds", Timeout.TotalSeconds);
        w.WriteEndObject();
    }
}
