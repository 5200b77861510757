namespace RoseForest.Knowledge.Sync;

/// <summary>
/// The conflict strategies as pure functions over a set of concurrent versions. Inputs are first
/// put in stamp order (stamps are unique: they carry the node id), so the result does not depend
/// on the order versions arrived in. A resolved vector gets version max + 1 and the largest stamp.
/// </summary>
public static class ConflictStrategies
{
    /// <summary>Picks one version by a selecting strategy (<c>crdt</c>, <c>last_write_wins</c>, <c>highest_version</c>).</summary>
    public static Versioned<T> Select<T>(IReadOnlyList<Versioned<T>> versions, ConflictStrategy strategy)
    {
        if (versions.Count == 0)
        {
            throw new ArgumentException("no versions", nameof(versions));
        }

        return strategy switch
        {
            ConflictStrategy.Crdt or ConflictStrategy.LastWriteWins => versions.MaxBy(v => v.Stamp)!,
            ConflictStrategy.HighestVersion => versions.OrderByDescending(v => v.Version).ThenByDescending(v => v.Stamp).First(),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "a vector strategy needs ResolveVector"),
        };
    }

    /// <summary>Resolves concurrent vector versions by any strategy; the vector strategies average in <paramref name="geometry"/>.</summary>
    public static Versioned<float[]> ResolveVector(IReadOnlyList<Versioned<float[]>> versions, ConflictStrategy strategy, IVectorGeometry geometry)
    {
        if (strategy is not (ConflictStrategy.Merge or ConflictStrategy.GeometricMean))
        {
            return Select(versions, strategy);
        }

        if (versions.Count == 0)
        {
            throw new ArgumentException("no versions", nameof(versions));
        }

        var ordered = versions.OrderBy(v => v.Stamp).ToList();
        if (ordered.Count == 1)
        {
            return ordered[0];
        }

        float[] value;
        if (strategy == ConflictStrategy.Merge)
        {
            value = ordered.Count == 2
                ? geometry.Midpoint(ordered[0].Value, ordered[1].Value)
                : geometry.WeightedMean([.. ordered.Select(v => v.Value)], [.. ordered.Select(_ => 1.0)]);
        }
        else
        {
            value = geometry.WeightedMean([.. ordered.Select(v => v.Value)], [.. ordered.Select(v => v.Weight)]);
        }

        return new Versioned<float[]>(value, ordered.Max(v => v.Version) + 1, ordered[^1].Stamp);
    }
}
