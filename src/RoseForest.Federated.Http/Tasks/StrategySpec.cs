using System.Text.Json;
using RoseForest.Federated.Strategies;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Tasks;

/// <summary>The strategy of a task: its name and options (docs/federated.md lists them).</summary>
internal sealed class StrategySpec
{
    private static readonly string[] Names = ["fedavg", "fedprox", "fedadam", "fedyogi", "fedadagrad", "fedmedian", "fedtrimmedavg", "krum", "multikrum", "bulyan"];

    public string Name { get; private init; } = "fedavg";

    public double? ProximalMu { get; private init; }

    public FedOptOptions? FedOpt { get; private init; }

    public double? Beta { get; private init; }

    public int? Byzantine { get; private init; }

    public int? Keep { get; private init; }

    /// <summary>Whether the strategy is a function of the sample-weighted mean alone (usable under secure aggregation).</summary>
    public bool IsLinear => Name is "fedavg" or "fedprox" or "fedadam" or "fedyogi" or "fedadagrad";

    public static StrategySpec Read(JsonElement? element, string field)
    {
        if (element is not { } e)
        {
            return new StrategySpec();
        }

        WireJson.RequireObject(e, field, "name", "proximal_mu", "eta", "eta_l", "beta_1", "beta_2", "tau", "beta", "byzantine", "keep");
        var name = WireJson.String(e, "name", field)?.ToLowerInvariant() ?? "fedavg";
        if (Array.IndexOf(Names, name) < 0)
        {
            throw new WireFormatException(field + ".name", $"unknown strategy '{name}' (one of: {string.Join(", ", Names)}).");
        }

        void Only(params string[] allowed)
        {
            foreach (var m in e.EnumerateObject())
            {
                if (m.Name != "name" && Array.IndexOf(allowed, m.Name) < 0)
                {
                    throw new WireFormatException($"{field}.{m.Name}", $"is not an option of {name}.");
                }
            }
        }

        switch (name)
        {
            case "fedavg" or "fedmedian":
                Only();
                return new StrategySpec { Name = name };
            case "fedprox":
                Only("proximal_mu");
                return new StrategySpec { Name = name, ProximalMu = WireJson.Number(e, "proximal_mu", field, 0) ?? throw new WireFormatException(field + ".proximal_mu", "is required.") };
            case "fedadam" or "fedyogi" or "fedadagrad":
                Only("eta", "eta_l", "beta_1", "beta_2", "tau");
                var defaults = name == "fedadam" ? FedOptOptions.AdamDefaults : name == "fedyogi" ? FedOptOptions.YogiDefaults : FedOptOptions.AdagradDefaults;
                return new StrategySpec
                {
                    Name = name,
                    FedOpt = new FedOptOptions
                    {
                        Eta = WireJson.Number(e, "eta", field, 0) ?? defaults.Eta,
                        EtaL = WireJson.Number(e, "eta_l", field, 0) ?? defaults.EtaL,
                        Beta1 = WireJson.Number(e, "beta_1", field, 0, 1) ?? defaults.Beta1,
                        Beta2 = WireJson.Number(e, "beta_2", field, 0, 1) ?? defaults.Beta2,
                        Tau = WireJson.Number(e, "tau", field, 0) ?? defaults.Tau,
                    },
                };
            case "fedtrimmedavg":
                Only("beta");
                return new StrategySpec { Name = name, Beta = WireJson.Number(e, "beta", field, 0, 0.4999999) ?? 0.2 };
            case "krum" or "bulyan":
                Only("byzantine");
                return new StrategySpec { Name = name, Byzantine = (int)(WireJson.Integer(e, "byzantine", field, 0, 100_000) ?? throw new WireFormatException(field + ".byzantine", "is required.")) };
            default:
                Only("byzantine", "keep");
                return new StrategySpec
                {
                    Name = name,
                    Byzantine = (int)(WireJson.Integer(e, "byzantine", field, 0, 100_000) ?? throw new WireFormatException(field + ".byzantine", "is required.")),
                    Keep = (int)(WireJson.Integer(e, "keep", field, 1, 100_000) ?? throw new WireFormatException(field + ".keep", "is required.")),
                };
        }
    }

    public IAggregationStrategy Create() => Name switch
    {
        "fedavg" => FederatedStrategies.FedAvg(),
        "fedprox" => FederatedStrategies.FedProx(ProximalMu!.Value),
        "fedadam" => FederatedStrategies.FedAdam(FedOpt),
        "fedyogi" => FederatedStrategies.FedYogi(FedOpt),
        "fedadagrad" => FederatedStrategies.FedAdagrad(FedOpt),
        "fedmedian" => FederatedStrategies.FedMedian(),
        "fedtrimmedavg" => FederatedStrategies.FedTrimmedAvg(Beta!.Value),
        "krum" => FederatedStrategies.Krum(Byzantine!.Value),
        "multikrum" => FederatedStrategies.MultiKrum(Byzantine!.Value, Keep!.Value),
        _ => FederatedStrategies.Bulyan(Byzantine!.Value),
    };

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("name", Name);
        if (ProximalMu is { } mu)
        {
            w.WriteNumber("proximal_mu", mu);
        }

        if (FedOpt is { } o)
        {
            w.WriteNumber("eta", o.Eta);
            w.WriteNumber("eta_l", o.EtaL);
            w.WriteNumber("beta_1", o.Beta1);
            w.WriteNumber("beta_2", o.Beta2);
            w.WriteNumber("tau", o.Tau);
        }

        if (Beta is { } beta)
        {
            w.WriteNumber("beta", beta);
        }

        if (Byzantine is { } f)
        {
            w.WriteNumber("byzantine", f);
        }

        if (Keep is { } keep)
        {
            w.WriteNumber("keep", keep);
        }

        w.WriteEndObject();
    }
}
