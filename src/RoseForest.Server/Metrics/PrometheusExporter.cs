using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace RoseForest.Server.Metrics;

/// <summary>
/// Collects RoseForest's System.Diagnostics.Metrics instruments with a MeterListener and writes
/// them in the Prometheus text format for GET /metrics. Counters are summed, histograms kept in
/// fixed buckets, observable gauges read at scrape time. (OpenTelemetry's Prometheus exporter is
/// not available in this build's package feed, and the format is small.)
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();
    private readonly object _scrapeGate = new();

    private long _observeErrors;

    /// <summary>
    /// Exports the instruments of <paramref name="own"/> (this server's meter: by instance, so a
    /// second server in the same process, as in tests or an embedding host, is not scraped
    /// here) and of the process-wide meters named in <paramref name="meters"/>.
    /// </summary>
    public PrometheusExporter(Meter? own, params string[] meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, own) || Array.IndexOf(meters, instrument.Meter.Name) >= 0)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd((instrument, Labels(tags)), static key => new Series(key.Instrument is Histogram<double> or Histogram<long>));
        series.Add(instrument, value);
    }

    /// <summary>The exposition text.</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            // Observable gauges report their current value; drop last scrape's values first.
            foreach (var key in _series.Keys.Where(k => k.Instrument.IsObservable).ToList())
            {
                _series.TryRemove(key, out _);
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException e)
            {
                // The listener reads every gauge, then throws what any of them threw (a source
                // disposed while the server stops, say). The others are recorded; the failing
                // ones are missing from this scrape and counted, and the scrape still answers.
                _observeErrors += e.InnerExceptions.Count;
            }

            var text = new StringBuilder();
            foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                var instrument = group.Key;
                var name = Sanitize(instrument.Name);
                var type = instrument switch
                {
                    Counter<long> or Counter<double> or ObservableCounter<long> => "counter",
                    Histogram<double> or Histogram<long> => "histogram",
                    _ => "gauge",
                };
                text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description ?? name).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                foreach (var (key, series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
                {
                    series.Write(text, name, key.Labels);
                }
            }

            text.Append("# HELP roseforest_metrics_observe_errors_total Gauge readings that failed during scrapes (their series were left out).\n");
            text.Append("# TYPE roseforest_metrics_observe_errors_total counter\n");
            text.Append("roseforest_metrics_observe_errors_total ").Append(_observeErrors).Append('\n');
            return text.ToString();
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            parts.Add($"{Sanitize(tag.Key)}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && chars[i] != ':')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Series(bool histogram)
    {
        private readonly long[] _buckets = histogram ? new long[Buckets.Length] : [];
        private double _value;
        private long _count;

        public void Add(Instrument instrument, double value)
        {
            lock (this)
            {
                if (histogram)
                {
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        if (value <= Buckets[i])
                        {
                            _buckets[i]++;
                        }
                    }

                    _value += value;
                    _count++;
                }
                else if (instrument.IsObservable && instrument is not ObservableCounter<long>)
                {
                    _value = value;
                }
                else
                {
                    _value += value;
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            lock (this)
            {
                if (!histogram)
                {
                    text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(_value)).Append('\n');
                    return;
                }

                var prefix = labels.Length == 0 ? string.Empty : labels + ",";
                for (var i = 0; i < Buckets.Length; i++)
                {
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Number(Buckets[i])).Append("\"} ").Append(_buckets[i]).Append('\n');
                }

                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(_value)).Append('\n');
                text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(_count).Append('\n');
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

        private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }
}
