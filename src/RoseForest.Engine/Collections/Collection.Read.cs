using System.Runtime.CompilerServices;
using RoseForest.Core.Filters;

using RoseForest.Engine.Internal;

namespace RoseForest.Engine;

public sealed partial class Collection
{
    /// <summary>The points with these ids, in the order asked; missing ids are left out.</summary>
    public ValueTask<IReadOnlyList<Record>> GetAsync(IReadOnlyList<PointId> ids, PayloadSelector? withPayload = null, VectorSelector? withVector = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var selector = withPayload ?? PayloadSelector.All;
        var result = new List<Record>(ids.Count);
        var seen = new HashSet<PointId>();
        using (ReadScope())
        {
            foreach (var id in ids)
            {
                if (seen.Add(id) && _table.TryGetSlot(id, out var slot))
                {
                    result.Add(ToRecord(slot, selector, withVector ?? VectorSelector.None));
                }
            }
        }

        return new(result);
    }

    /// <summary>One point (with all its vectors unless <paramref name="withVector"/> says otherwise), or null when it does not exist.</summary>
    public async ValueTask<Record?> GetAsync(PointId id, PayloadSelector? withPayload = null, VectorSelector? withVector = null, CancellationToken cancellationToken = default)
    {
        var list = await GetAsync([id], withPayload, withVector ?? VectorSelector.All, cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>A page of points in id order, starting at <see cref="ScrollRequest.Offset"/> (inclusive).</summary>
    public ValueTask<ScrollPage> ScrollAsync(ScrollRequest request, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Limit < 1)
        {
            throw new ValidationException("limit", $"must be at least 1, got {request.Limit}.");
        }

        var points = new List<Record>(Math.Min(request.Limit, 1024));
        PointId? next = null;
        using (ReadScope())
        {
            var sorted = _table.SortedById();
            var start = 0;
            if (request.Offset is { } offset)
            {
                start = LowerBound(sorted, offset);
            }

            for (var i = start; i < sorted.Length; i++)
            {
                var (id, slot) = sorted[i];
                if (request.Filter is { } f && !_table.Matches(f, slot))
                {
                    continue;
                }

                if (points.Count == request.Limit)
                {
                    next = id;
                    break;
                }

                points.Add(ToRecord(slot, request.WithPayload, request.WithVector));
            }
        }

        return new(new ScrollPage(points, next));
    }

    /// <summary>Every matching point in id order, fetched page by page (each page is consistent on its own).</summary>
    public async IAsyncEnumerable<Record> ScrollAllAsync(
        Filter? filter = null,
        int pageSize = 256,
        PayloadSelector? withPayload = null,
        bool withVector = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        PointId? offset = null;
        while (true)
        {
            var page = await ScrollAsync(
                new ScrollRequest { Limit = pageSize, Offset = offset, Filter = filter, WithPayload = withPayload ?? PayloadSelector.All, WithVector = withVector },
                cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Points)
            {
                yield return record;
            }

            if (page.NextOffset is not { } next)
            {
                yield break;
            }

            offset = next;
        }
    }

    /// <summary>The number of points, or of points matching the filter.</summary>
    public ValueTask<long> CountAsync(Filter? filter = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        using (ReadScope())
        {
            if (filter is null || filter.IsEmpty)
            {
                return new(_table.Count);
            }

            long count = 0;
            for (var slot = 0; slot < _table.SlotCount; slot++)
            {
                if (_table.IsLive(slot) && _table.Matches(filter, slot))
                {
                    count++;
                }
            }

            return new(count);
        }
    }

    private Record ToRecord(int slot, PayloadSelector withPayload, VectorSelector withVector)
    {
        var (unnamed, named) = ReadVectors(slot, withVector);
        return new(_table.IdAt(slot), _table.VersionAt(slot), unnamed, withPayload.Apply(_table.PayloadAt(slot))) { Vectors = named };
    }

    private static int LowerBound((PointId Id, int Slot)[] sorted, PointId target)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid].Id < target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
