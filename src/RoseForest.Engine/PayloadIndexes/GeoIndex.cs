using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Geo;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// Geo points (<c>{"lon", "lat"}</c> objects), kept per slot: answers geo radius, bounding box
/// and polygon from memory without parsing payloads; its size estimate comes from a sample of
/// the indexed points.
/// </summary>
internal sealed class GeoIndex(PayloadPath key, PayloadIndexParams schema) : FieldIndex(key, schema)
{
    private const int Sample = 256;
    private GeoPoint[]?[] _points = [];
    private long _count;

    public override long Points => _count;

    public override void Set(int slot, JsonElement? payload, bool renewed)
    {
        Clear(slot);
        List<GeoPoint>? found = null;
        foreach (var v in ValuesOf(payload))
        {
            if (GeoPoint.TryRead(v, out var p))
            {
                (found ??= []).Add(p);
            }
        }

        if (found is null)
        {
            return;
        }

        if (slot >= _points.Length)
        {
            Array.Resize(ref _points, Math.Max(slot + 1, Math.Max(1024, _points.Length * 2)));
        }

        _points[slot] = [.. found];
        _count++;
    }

    public override void Clear(int slot)
    {
        if (slot < _points.Length && _points[slot] is not null)
        {
            _points[slot] = null;
            _count--;
        }
    }

    public override IndexedCondition? TryAnswer(FieldCondition c, long total)
    {
        var geo = (c.GeoRadiusClause is null ? 0 : 1) + (c.GeoBoundingBoxClause is null ? 0 : 1) + (c.GeoPolygonClause is null ? 0 : 1);
        if (geo != 1 || c.MatchClause is not null || c.RangeClause is not null || c.DatetimeRangeClause is not null ||
            c.ValuesCountRange is not null || c.IsEmptyFlag is not null || c.IsNullFlag is not null)
        {
            return null;
        }

        Func<GeoPoint, bool> contains = c.GeoRadiusClause is { } r ? r.Contains : c.GeoBoundingBoxClause is { } b ? b.Contains : c.GeoPolygonClause!.Contains;
        var predicate = new Inside(this, contains);
        return new IndexedCondition(predicate, Estimate(predicate));
    }

    /// <summary>The share of a stride sample of indexed slots that passes, scaled to the indexed points.</summary>
    private Cardinality Estimate(Inside predicate)
    {
        if (_count == 0)
        {
            return Cardinality.Exact(0);
        }

        var step = Math.Max(1, _points.Length / (Sample * 4));
        int seen = 0, passed = 0;
        for (var slot = 0; slot < _points.Length && seen < Sample; slot += step)
        {
            if (_points[slot] is not null)
            {
                seen++;
                passed += predicate.Test(slot) ? 1 : 0;
            }
        }

        var exp = seen == 0 ? _count / 2 : passed * _count / seen;
        return new Cardinality(0, exp, _count);
    }

    private sealed class Inside(GeoIndex index, Func<GeoPoint, bool> contains) : SlotPredicate
    {
        public override bool Test(int slot)
        {
            var points = index._points;
            if ((uint)slot >= (uint)points.Length || points[slot] is not { } here)
            {
                return false;
            }

            foreach (var p in here)
            {
                if (contains(p))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
