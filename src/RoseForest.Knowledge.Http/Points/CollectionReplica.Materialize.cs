using System.Text;
using System.Text.Json;
using RoseForest.Knowledge.Points;

namespace RoseForest.Knowledge.Http.Points;

/// <summary>
/// Writing records into the engine: what the strategy reads becomes an upsert (or a delete when the
/// point is gone). Each write's LSN is remembered as an echo, so the tracker does not take it for a
/// local write; the tracker compares the echo with the record, and if a local write overtook the
/// materialization (it is stamped later and wins), writes the point again.
/// </summary>
internal sealed partial class CollectionReplica
{
    private const int MaterializeBatch = 1000;

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Collection {Collection}: the engine refused merged point {Id} ({Reason}); it stays in the sync records and is written again when it changes")]
    private static partial void LogRefused(Microsoft.Extensions.Logging.ILogger logger, string collection, string id, string reason);

    private async Task MaterializeAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var upserts = new List<PointStruct>();
        var deletes = new List<PointId>();
        foreach (var id in ids)
        {
            if (!_records.TryGetValue(id, out var slot))
            {
                continue;
            }

            var view = Resolve(slot.Record);
            if (view.Alive)
            {
                upserts.Add(new PointStruct(PointId.Parse(id), view.Vector!, PayloadElement(view.Payload)));
            }
            else
            {
                deletes.Add(PointId.Parse(id));
            }
        }

        var options = new UpsertOptions { ProjectOntoManifold = GeometryInfo.IsHyperbolic(Shape.Geometry) };
        for (var i = 0; i < upserts.Count; i += MaterializeBatch)
        {
            var chunk = upserts.GetRange(i, Math.Min(MaterializeBatch, upserts.Count - i));
            try
            {
                _echoes.Add((await Points.UpsertAsync(chunk, options, cancellationToken).ConfigureAwait(false)).OperationId);
            }
            catch (ValidationException)
            {
                // One point the engine refuses must not hold back the others, nor fail every later batch: write them one by one.
                foreach (var point in chunk)
                {
                    try
                    {
                        _echoes.Add((await Points.UpsertAsync([point], options, cancellationToken).ConfigureAwait(false)).OperationId);
                    }
                    catch (ValidationException e)
                    {
                        LogRefused(_logger, Collection, point.Id.ToString(), e.Message);
                    }
                }
            }
        }

        for (var i = 0; i < deletes.Count; i += MaterializeBatch)
        {
            var result = await Points.DeleteAsync(PointSelector.ById(deletes.GetRange(i, Math.Min(MaterializeBatch, deletes.Count - i))), cancellationToken).ConfigureAwait(false);
            _echoes.Add(result.OperationId);
        }
    }

    /// <summary>The payload object of a resolved point (null when it has no keys).</summary>
    internal static JsonElement? PayloadElement(IReadOnlyList<KeyValuePair<string, string>> payload)
    {
        if (payload.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < payload.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(JsonSerializer.Serialize(payload[i].Key)).Append(':').Append(payload[i].Value);
        }

        using var doc = JsonDocument.Parse(text.Append('}').ToString());
        return doc.RootElement.Clone();
    }

    /// <summary>
    /// Equal vectors. Cosine and Lorentz collections rewrite what they store (unit length, x0
    /// recomputed), so there a difference within float rounding counts as equal.
    /// </summary>
    private bool SameVector(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        var approximate = Shape.Geometry is Core.Geometry.Cosine or Core.Geometry.Lorentz;
        for (var i = 0; i < a.Length; i++)
        {
            if (approximate ? Math.Abs(a[i] - b[i]) > 1e-5f * (1 + Math.Abs(a[i])) : BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SamePayload(IReadOnlyList<KeyValuePair<string, string>> held, JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } p)
        {
            return held.Count == 0;
        }

        var count = 0;
        foreach (var property in p.EnumerateObject())
        {
            count++;
            var index = BinarySearch(held, property.Name);
            if (index < 0 || !SameJson(held[index].Value, property.Value))
            {
                return false;
            }
        }

        return count == held.Count;
    }

    private static bool SameJson(string held, JsonElement value)
    {
        using var doc = JsonDocument.Parse(held);
        return JsonElement.DeepEquals(doc.RootElement, value);
    }

    private static int BinarySearch(IReadOnlyList<KeyValuePair<string, string>> sorted, string key)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(sorted[mid].Key, key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
