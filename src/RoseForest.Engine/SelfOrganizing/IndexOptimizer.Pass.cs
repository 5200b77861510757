using System.Diagnostics;
using RoseForest.Index.Hnsw;

namespace RoseForest.Engine.SelfOrganizing;

internal sealed partial class IndexOptimizer
{
    private void RunPass()
    {
        var report = Observe(out var observation, out var findings, consume: true);
        _passes++;
        if (_settings.Enabled == true && findings.Count > 0 && !_disposed)
        {
            Act(observation, findings, report.Cost);
        }

        _last = Observe(out _, out _, consume: false, observation, findings) with { Passes = _passes };
    }

    /// <summary>What one pass saw, kept for choosing an action.</summary>
    private sealed record Observation(
        GraphHealth? Graph,
        double P95,
        RecallWindow.Estimate Recall,
        int Ef,
        double HopsMean,
        double ScoredMean,
        long RecentWalks,
        long[] Recent,
        double[] RecentHopsByRegion,
        double MemoryMiB);

    /// <summary>
    /// Collects the telemetry and runs the detectors. With <paramref name="consume"/> it also
    /// re-runs pending samples and takes the "since the last pass" counts (a pass); without, it
    /// reports from what is there (collection info between passes).
    /// </summary>
    private OptimizerReport Observe(out Observation observation, out List<OptimizerFinding> findings, bool consume, Observation? reuse = null, List<OptimizerFinding>? reuseFindings = null)
    {
        var s = _settings;
        var ef = _host.DefaultEf;
        if (reuse is null && consume)
        {
            for (var i = 0; i < SampleBudget && Telemetry.TryTakeSample(out var sample); i++)
            {
                if (_host.EvaluateSample(sample.Query, sample.Aux, ef, _window.Ladder) is { } r)
                {
                    _window.Add(ef, r.Recall, r.Rungs);
                }
            }
        }

        var recall = _window.At(ef);
        var latencies = consume && reuse is null ? Telemetry.DrainRecentLatencies() : null;
        if (latencies is null || latencies.Sum() == 0)
        {
            latencies = Telemetry.TotalLatencies();
        }

        var walks = Telemetry.Walks;
        var recentWalks = walks - _lastWalks;
        var hopsMean = recentWalks > 0 ? (double)(Telemetry.HopsTotal - _lastHops) / recentWalks : 0;
        var scoredMean = recentWalks > 0 ? (double)(Telemetry.ScoredTotal - _lastScored) / recentWalks : 0;
        if (reuse is not null)
        {
            recentWalks = reuse.RecentWalks;
            hopsMean = reuse.HopsMean;
            scoredMean = reuse.ScoredMean;
        }

        GraphHealth? graph = reuse?.Graph;
        var recent = reuse?.Recent ?? _recent;
        var hopsByRegion = reuse?.RecentHopsByRegion ?? [];
        if (consume && reuse is null)
        {
            _lastWalks = walks;
            _lastHops = Telemetry.HopsTotal;
            _lastScored = Telemetry.ScoredTotal;
            graph = InspectIfChanged();
            (recent, hopsByRegion) = CountRegions();
            if (recentWalks >= Detectors.MinRecentWalks && !_hopsBaseline.ContainsKey(ef))
            {
                _hopsBaseline[ef] = hopsMean;
            }

            if (graph is not null && _unreachableBaseline is null)
            {
                // Hierarchy embeddings leave anti-hubs unreachable over layer 0 by construction
                // (docs/architecture.md); there only growth beyond the first count is a fault.
                _unreachableBaseline = _host.IsHyperbolic ? graph.Unreachable : 0;
            }
        }
        else if (!consume && reuse is null && _last is null)
        {
            graph = _host.InspectGraph();
        }

        var p95 = LatencyHistogram.PercentileMs(latencies, 0.95);
        var memory = _host.BytesInMemory / (1024.0 * 1024.0);
        var recallValue = recall.Samples > 0 ? recall.Mean : 1.0;
        var cost = (s.LatencyWeight!.Value * p95) + RecallCost(s, recallValue) + (s.MemoryWeight!.Value * memory);
        observation = new Observation(graph, p95, recall, ef, hopsMean, scoredMean, recentWalks, recent, hopsByRegion, memory);

        findings = reuseFindings ?? [];
        if (reuseFindings is null && consume)
        {
            Add(findings, Detectors.LowRecall(recall, s));
            if (!findings.Any(f => f.Detector == "low_recall"))
            {
                Add(findings, Detectors.BelowTarget(recall, ef, s));
            }

            Add(findings, Detectors.OverProvisioned(_window, ef, s));
            if (graph is not null)
            {
                Add(findings, Detectors.Tombstones(graph));
                Add(findings, Detectors.Unreachable(graph, _unreachableBaseline ?? 0));
                Add(findings, Detectors.EntryDeleted(graph));
            }

            Add(findings, Detectors.LongPaths(hopsMean, recentWalks, _hopsBaseline.GetValueOrDefault(ef)));
            if (recent.Length > 0)
            {
                Add(findings, Detectors.Hotspot(recent));
                Add(findings, Detectors.WorkloadShift(recent, _longRun));
                for (var i = 0; i < recent.Length; i++)
                {
                    _longRun[i] += recent[i];
                }
            }
        }
        else if (reuseFindings is null)
        {
            findings = _last is { } last ? [.. last.Findings] : [];
        }

        var telemetry = new IndexTelemetry
        {
            Queries = Telemetry.Queries,
            LatencyP50Ms = LatencyHistogram.PercentileMs(latencies, 0.50),
            LatencyP95Ms = p95,
            LatencyP99Ms = LatencyHistogram.PercentileMs(latencies, 0.99),
            VisitedMean = scoredMean,
            HopsMean = hopsMean,
            HopsBaseline = _hopsBaseline.GetValueOrDefault(ef),
            RecallEstimate = recall.Samples > 0 ? recall.Mean : null,
            RecallLow = recall.Samples > 0 ? recall.Low : null,
            RecallHigh = recall.Samples > 0 ? recall.High : null,
            RecallSamples = recall.Samples,
            DefaultEf = ef,
            GraphNodes = graph?.Nodes ?? 0,
            TombstoneFraction = graph is { Nodes: > 0 } ? (double)graph.Deleted / graph.Nodes : 0,
            Unreachable = graph?.Unreachable ?? 0,
            OutDegreeMean = graph?.OutDegreeMean ?? 0,
            OutDegreeMax = graph?.OutDegreeMax ?? 0,
            InDegreeMean = graph?.InDegreeMean ?? 0,
            InDegreeMax = graph?.InDegreeMax ?? 0,
            InDegreeHistogram = graph?.InDegreeHistogram ?? [],
            HubConcentration = graph?.HubConcentration ?? 0,
            RegionVisits = [.. _visits],
            RecentRegionVisits = [.. recent],
        };
        return new OptimizerReport
        {
            Settings = s,
            Telemetry = telemetry,
            Findings = findings,
            History = HistoryCopy(),
            Cost = cost,
            Passes = _passes,
        };
    }

    private OptimizerActionRecord[] HistoryCopy()
    {
        lock (_history)
        {
            return [.. _history];
        }
    }

    /// <summary>
    /// a2 · (1 − recall@10); with a target_recall, a2 · max(0, target − recall): recall above the
    /// target buys nothing, so the controller trades it for latency (the target is a constraint).
    /// </summary>
    private static double RecallCost(OptimizerSettings s, double recall) =>
        s.RecallWeight!.Value * (s.TargetRecall is { } target ? Math.Max(0, target - recall) : 1 - recall);

    private static void Add(List<OptimizerFinding> findings, OptimizerFinding? f)
    {
        if (f is not null)
        {
            findings.Add(f);
        }
    }

    /// <summary>The graph's health, read again only when a write or a repair happened since the last reading (a pass over an idle collection costs nothing).</summary>
    private GraphHealth? InspectIfChanged()
    {
        var lsn = _host.AppliedLsn;
        if (_health is null || lsn != _healthLsn)
        {
            _health = _host.InspectGraph();
            _healthLsn = lsn;
        }

        return _health;
    }

    /// <summary>Maps the ring's new graph searches to regions; (re)builds the cells when the collection doubled or halved since.</summary>
    private (long[] Recent, double[] HopsByRegion) CountRegions()
    {
        var live = _host.LivePoints;
        if (_regions is null || live > 2L * _regions.PointsAtBuild || live < _regions.PointsAtBuild / 2)
        {
            _regions = _host.BuildRegions();
            var cells = _regions?.Count ?? 0;
            _longRun = new long[cells];
            _visits = new long[cells];
            _ringRead = Telemetry.RingNext;
            return (new long[cells], new double[cells]);
        }

        var counts = new long[_regions.Count];
        var hops = new double[_regions.Count];
        var to = Telemetry.RingNext;
        foreach (var (entry, h) in Telemetry.RingEntries(_ringRead, to))
        {
            if (entry < 0)
            {
                continue;
            }

            var cell = _regions.CellOfNode(entry, _host.VectorOf);
            counts[cell]++;
            hops[cell] += h;
        }

        _ringRead = to;
        for (var i = 0; i < counts.Length; i++)
        {
            _visits[i] += counts[i];
            hops[i] = counts[i] == 0 ? 0 : hops[i] / counts[i];
        }

        _recent = counts;
        return (counts, hops);
    }

    /// <summary>Forgets cached cells of freed slots.</summary>
    public void ForgetSlots(IEnumerable<int> slots) => _regions?.Forget(slots);

    /// <summary>A candidate action: what it answers, its modelled cost after it and its work in seconds.</summary>
    private sealed record Candidate(string Action, OptimizerFinding Reason, double PredictedCost, double Seconds, Func<string> Run, string Key, int Cooldown);

    private void Act(Observation o, List<OptimizerFinding> findings, double cost)
    {
        var s = _settings;
        var a1 = s.LatencyWeight!.Value;
        var a2 = s.RecallWeight!.Value;
        var interval = s.IntervalSeconds!.Value;
        var recall = o.Recall.Samples > 0 ? o.Recall.Mean : 1.0;
        var live = Math.Max(1, _host.LivePoints);
        var candidates = new List<Candidate>();
        foreach (var f in findings)
        {
            switch (f.Detector)
            {
                case "low_recall":
                case "ef_below_target":
                case "ef_above_target":
                {
                    var target = Detectors.Target(s);
                    var ef = f.Detector != "ef_above_target" ? RaiseEf(o.Ef, target) : (int)f.Threshold;
                    ef = Math.Clamp(ef, s.MinEf!.Value, s.MaxEf!.Value);
                    if (ef == o.Ef)
                    {
                        break;
                    }

                    var r = _window.At(ef);
                    var predicted = cost + (a1 * o.P95 * 0.8 * (((double)ef / o.Ef) - 1)) + RecallCost(s, r.Samples > 0 ? r.Mean : recall) - RecallCost(s, recall);
                    var from = o.Ef;
                    candidates.Add(new Candidate("adjust_ef", f, predicted, 0, () =>
                    {
                        _host.SetTunedEf(ef);
                        return $"default ef {from} → {ef} (estimated recall@10 at {ef}: {(r.Samples > 0 ? r.Mean.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "unknown")})";
                    }, "adjust_ef", 0));
                    break;
                }

                case "tombstones":
                    candidates.Add(new Candidate("relink_deleted", f, cost - (a1 * o.P95 * f.Value * 0.5) - (s.MemoryWeight!.Value * o.MemoryMiB * f.Value), (o.Graph?.Deleted ?? 0) * 2e-4, () => Maintain(MaintenanceAction.RelinkDeleted, -1), "relink_deleted", ActionCooldownPasses));
                    break;
                case "unreachable":
                    candidates.Add(new Candidate("reconnect_unreachable", f, cost - (a2 * f.Value / live), f.Value * 1e-3, () => Maintain(MaintenanceAction.ReconnectUnreachable, -1), "reconnect_unreachable", 0));
                    break;
                case "entry_deleted":
                    candidates.Add(new Candidate("refresh_entry", f, cost - (a1 * o.P95 * 0.01), 1e-3, () => Maintain(MaintenanceAction.RefreshEntry, -1), "refresh_entry", ActionCooldownPasses));
                    break;
                case "hotspot" when f.Region is { } hot:
                {
                    var share = (double)o.Recent[hot] / Math.Max(1, o.Recent.Sum());
                    candidates.Add(new Candidate("rebuild_region", f, cost - (a1 * o.P95 * 0.25 * share), RegionSeconds(live), () => Maintain(MaintenanceAction.RebuildRegion, hot), $"rebuild_region:{hot}", RegionCooldownPasses));
                    break;
                }

                case "long_paths" when o.RecentHopsByRegion.Length > 0:
                {
                    var worst = 0;
                    for (var i = 1; i < o.RecentHopsByRegion.Length; i++)
                    {
                        worst = o.RecentHopsByRegion[i] > o.RecentHopsByRegion[worst] ? i : worst;
                    }

                    var share = (double)o.Recent[worst] / Math.Max(1, o.Recent.Sum());
                    var gain = 1 - (f.Threshold / Detectors.LongPathFactor / Math.Max(1e-9, o.RecentHopsByRegion[worst]));
                    candidates.Add(new Candidate("rebuild_region", f, cost - (a1 * o.P95 * share * Math.Max(0, gain)), RegionSeconds(live), () => Maintain(MaintenanceAction.RebuildRegion, worst), $"rebuild_region:{worst}", RegionCooldownPasses));
                    break;
                }

                case "workload_shift":
                    candidates.Add(new Candidate("rebaseline", f, cost - (a2 * 0.01), 0, Rebaseline, "rebaseline", ActionCooldownPasses));
                    break;
            }
        }

        Candidate? best = null;
        var bestScore = 0.0;

        // A recall below the target (or the floor) is a broken constraint, not a trade-off: raising
        // ef comes first, whatever the latency term says (on a loaded machine p95 can be large).
        if (candidates.FirstOrDefault(c => c.Action == "adjust_ef" && c.Reason.Detector is "low_recall" or "ef_below_target") is { } raise)
        {
            best = raise;
            bestScore = double.PositiveInfinity;
        }

        foreach (var c in candidates)
        {
            if (_lastActed.TryGetValue(c.Key, out var at) && _passes - at <= c.Cooldown && c.Cooldown > 0)
            {
                continue;
            }

            var score = cost - c.PredictedCost - (s.ActionWeight!.Value * c.Seconds / interval);
            if (score > bestScore && !double.IsPositiveInfinity(bestScore))
            {
                best = c;
                bestScore = score;
            }
        }

        if (best is null)
        {
            return;
        }

        var started = _time.GetTimestamp();
        var when = _time.GetUtcNow();
        string detail;
        try
        {
            detail = best.Run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            detail = $"failed: {e.Message}";
        }

        _lastActed[best.Key] = _passes;
        var record = new OptimizerActionRecord(when, best.Action, best.Reason.Detector, detail, cost, best.PredictedCost, _time.GetElapsedTime(started).TotalMilliseconds);
        lock (_history)
        {
            _history.Enqueue(record);
            while (_history.Count > HistoryLimit)
            {
                _history.Dequeue();
            }
        }

        LogAction(_log, _name, best.Action, best.Reason.Detector, detail);
    }

    /// <summary>For low recall: the smallest rung above the current ef that meets the target, else the largest rung.</summary>
    private int RaiseEf(int current, double target)
    {
        foreach (var rung in _window.Ladder)
        {
            if (rung > current && _window.At(rung) is { Samples: > 0 } e && e.Mean >= target)
            {
                return rung;
            }
        }

        return _window.Ladder[^1];
    }

    private double RegionSeconds(long live) => live / (double)RegionMap.Cells * 1e-3 * (2.0 * _host.EfConstruct / 100);

    private string Maintain(MaintenanceAction action, int region)
    {
        var detail = _host.RunMaintenance(action, _regions, region);
        _health = null;

        // The graph changed under the samples: their recall no longer describes it.
        _window.Clear();
        _hopsBaseline.Clear();
        return detail;
    }

    /// <summary>After a workload shift: the old samples and baselines describe the old queries; the long run restarts from the recent distribution.</summary>
    private string Rebaseline()
    {
        var dropped = _window.Count;
        _window.Clear();
        _hopsBaseline.Clear();
        _longRun = [.. _recent];
        return $"dropped {dropped} recall samples and the hops baselines; the long-run region distribution restarts from the recent one";
    }
}
