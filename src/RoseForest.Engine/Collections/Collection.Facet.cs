using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Payloads;
using RoseForest.Engine.Querying;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>
    /// The most frequent values at a payload key among the matching points (Qdrant's facet):
    /// strings, integers and bools, an array counting each element, each point once per distinct
    /// value. Ordered by count, then by value (strings, then integers, then bools, each ascending).
    /// Always exact; RoseForest reads the payloads, where Qdrant needs a keyword, integer or bool index.
    /// </summary>
    public ValueTask<IReadOnlyList<FacetHit>> FacetAsync(FacetRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var key = PayloadPath.Parse(request.Key, "key");
        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        var counts = new Dictionary<FilterValue, long>();
        var values = new List<JsonElement>();
        var seen = new HashSet<FilterValue>();
        using (ReadScope())
        {
            foreach (var slot in MatchingSlots(request.Filter is { IsEmpty: false } f ? f : null))
            {
                PayloadValues.Collect(key, _table.PayloadAt(slot), values);
                seen.Clear();
                foreach (var v in values)
                {
                    FilterValue? value = v.ValueKind switch
                    {
                        JsonValueKind.String => (FilterValue?)FilterValue.Keyword(v.GetString()!),
                        JsonValueKind.Number when v.TryGetInt64(out var n) => FilterValue.Integer(n),
                        JsonValueKind.True => FilterValue.Bool(true),
                        JsonValueKind.False => FilterValue.Bool(false),
                        _ => null,
                    };
                    if (value is { } fv && seen.Add(fv))
                    {
                        counts[fv] = counts.GetValueOrDefault(fv) + 1;
                    }
                }
            }
        }

        IReadOnlyList<FacetHit> hits = [.. counts.Select(kv => new FacetHit(kv.Key, kv.Value)).Order(FacetOrder).Take(request.Limit)];
        return new(hits);
    }

    /// <summary>More points first; equal counts by value: strings (ordinal), then integers, then false before true.</summary>
    private static readonly Comparer<FacetHit> FacetOrder = Comparer<FacetHit>.Create((a, b) =>
    {
        var c = b.Count.CompareTo(a.Count);
        if (c != 0)
        {
            return c;
        }

        c = a.Value.Kind.CompareTo(b.Value.Kind);
        if (c != 0)
        {
            return c;
        }

        return a.Value.Kind switch
        {
            FilterValueKind.Keyword => string.CompareOrdinal(a.Value.KeywordValue, b.Value.KeywordValue),
            FilterValueKind.Integer => a.Value.IntegerValue.CompareTo(b.Value.IntegerValue),
            _ => a.Value.BoolValue.CompareTo(b.Value.BoolValue),
        };
    });
}
