namespace RoseForest.Engine.SelfOrganizing;

/// <summary>
/// The online recall@10 estimate. Sampled queries are re-run in the background: exactly, and
/// through the graph at the current default ef and at each ef of a ladder (so the controller
/// can read the whole recall-versus-ef curve off real queries instead of trying values on live
/// traffic). The newest <see cref="Capacity"/> samples are kept. An estimate is the mean of the
/// per-query recalls with a 95% normal interval over queries (mean ± 1.96·s/√n, clamped to
/// [0, 1]): the neighbours of one query are not independent trials, so the query is the unit.
/// </summary>
internal sealed class RecallWindow
{
    public const int Capacity = 256;

    private readonly object _gate = new();
    private readonly Sample[] _samples = new Sample[Capacity];
    private int _next;
    private int _count;

    /// <summary>The ef values every sample is measured at.</summary>
    public int[] Ladder { get; }

    public RecallWindow(int minEf, int maxEf)
    {
        var ladder = new List<int>();
        for (double ef = Math.Max(1, minEf); ef < maxEf * 1.0001; ef *= 1.5)
        {
            var rung = (int)Math.Round(ef);
            if (ladder.Count == 0 || ladder[^1] != rung)
            {
                ladder.Add(rung);
            }
        }

        if (ladder[^1] != maxEf)
        {
            ladder.Add(maxEf);
        }

        Ladder = [.. ladder];
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds one sample: the recall at <paramref name="ef"/> (the default then) and at each ladder rung.</summary>
    public void Add(int ef, double recall, double[] rungs)
    {
        lock (_gate)
        {
            _samples[_next] = new Sample(ef, recall, rungs);
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>Forgets every sample (after a workload shift: the old queries no longer describe the traffic).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _count = 0;
            _next = 0;
        }
    }

    /// <summary>The estimate at an ef: from every sample when it is a ladder rung, else from the samples measured at it.</summary>
    public Estimate At(int ef)
    {
        var rung = Array.IndexOf(Ladder, ef);
        lock (_gate)
        {
            var values = new List<double>(_count);
            for (var i = 0; i < _count; i++)
            {
                var s = _samples[i];
                if (rung >= 0)
                {
                    values.Add(s.Rungs[rung]);
                }
                else if (s.Ef == ef)
                {
                    values.Add(s.Recall);
                }
            }

            return Estimate.Of(values);
        }
    }

    /// <summary>The smallest ladder rung whose estimate reaches <paramref name="target"/>, or the largest rung when none does.</summary>
    public int SmallestRungMeeting(double target, out Estimate estimate)
    {
        for (var i = 0; i < Ladder.Length; i++)
        {
            estimate = At(Ladder[i]);
            if (estimate.Mean >= target)
            {
                return Ladder[i];
            }
        }

        estimate = At(Ladder[^1]);
        return Ladder[^1];
    }

    private readonly record struct Sample(int Ef, double Recall, double[] Rungs);

    /// <summary>A recall estimate over <see cref="Samples"/> queries.</summary>
    public readonly record struct Estimate(double Mean, double Low, double High, int Samples)
    {
        public static Estimate Of(List<double> values)
        {
            if (values.Count == 0)
            {
                return new Estimate(double.NaN, 0, 1, 0);
            }

            var mean = values.Average();
            var variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
            var half = 1.96 * Math.Sqrt(variance / values.Count);
            return new Estimate(mean, Math.Max(0, mean - half), Math.Min(1, mean + half), values.Count);
        }
    }
}
