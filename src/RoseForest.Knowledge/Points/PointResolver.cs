using RoseForest.Knowledge.Crdt;
using RoseForest.Knowledge.Sync;

namespace RoseForest.Knowledge.Points;

/// <summary>
/// Reads a point record under a conflict strategy. Every strategy is a function of the set of
/// surviving entries alone (never of arrival order), so replicas holding the same record read the
/// same point:
/// <list type="bullet">
/// <item><c>crdt</c>: each field reads its surviving write with the largest stamp; a delete beats only
/// the writes it observed, so a write concurrent with it survives.</item>
/// <item><c>last_write_wins</c>: as crdt, but a surviving delete marker also hides every write with
/// a smaller stamp, observed or not.</item>
/// <item><c>highest_version</c>: each field reads its write with the largest version, then stamp.</item>
/// <item><c>merge</c> / <c>geometric_mean</c>: the vector is the geodesic midpoint / Fréchet mean of
/// the surviving vectors in the collection's geometry; payload keys as crdt.</item>
/// </list>
/// A point is alive while its vector field is visible (a payload edit concurrent with a delete does
/// not bring back a point with no vector).
/// </summary>
public static class PointResolver
{
    /// <summary>Resolves a record.</summary>
    public static PointView Resolve(PointRecord record, ConflictStrategy strategy, IVectorGeometry geometry)
    {
        if (record.Entries.Count == 0)
        {
            return PointView.Gone;
        }

        HlcTimestamp? hiddenThrough = null;
        if (strategy == ConflictStrategy.LastWriteWins)
        {
            foreach (var e in record.Entries)
            {
                if (e.Field == PointFields.Deleted && (hiddenThrough is null || e.Stamp > hiddenThrough.Value))
                {
                    hiddenThrough = e.Stamp;
                }
            }
        }

        var vectors = new List<Versioned<float[]>>();
        var payload = new SortedDictionary<string, List<PointEntry>>(StringComparer.Ordinal);
        foreach (var e in record.Entries)
        {
            if (e.Field == PointFields.Deleted || (hiddenThrough is { } h && e.Stamp < h))
            {
                continue;
            }

            if (e.Field == PointFields.Vector)
            {
                vectors.Add(new Versioned<float[]>(e.Vector!, e.Version, e.Stamp));
            }
            else if (PointFields.IsPayload(e.Field, out var key))
            {
                if (!payload.TryGetValue(key, out var list))
                {
                    list = [];
                    payload[key] = list;
                }

                list.Add(e);
            }
        }

        if (vectors.Count == 0)
        {
            return PointView.Gone;
        }

        var vector = ConflictStrategies.ResolveVector(vectors, strategy, geometry).Value;
        var selecting = strategy == ConflictStrategy.HighestVersion ? ConflictStrategy.HighestVersion : ConflictStrategy.Crdt;
        var values = new List<KeyValuePair<string, string>>(payload.Count);
        foreach (var (key, entries) in payload)
        {
            var chosen = ConflictStrategies.Select([.. entries.Select(e => new Versioned<string>(e.Json!, e.Version, e.Stamp))], selecting);
            values.Add(new(key, chosen.Value));
        }

        return new PointView(true, vector, values);
    }
}
