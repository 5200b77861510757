using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RoseForest.Contracts.Tests.Filters;

/// <summary>
/// A plain evaluator of Qdrant filter JSON over JSON payloads, written from Qdrant's documented and
/// coded semantics without the product's model or parser: the property test compares the two.
/// It reads only the shapes FilterGenerator produces (numeric ids, simple paths, grid polygons).
/// </summary>
internal static partial class FilterReference
{
    public sealed record Point(ulong Id, IReadOnlySet<string> Vectors, bool InNested = false);

    public static bool Filter(JsonObject filter, JsonNode? payload, Point point)
    {
        if (filter["must"] is JsonArray must && !must.All(c => Condition(c!.AsObject(), payload, point)))
        {
            return false;
        }

        if (filter["must_not"] is JsonArray mustNot && mustNot.Any(c => Condition(c!.AsObject(), payload, point)))
        {
            return false;
        }

        if (filter["should"] is JsonArray should && !should.Any(c => Condition(c!.AsObject(), payload, point)))
        {
            return false;
        }

        if (filter["min_should"] is JsonObject minShould)
        {
            var hits = minShould["conditions"]!.AsArray().Count(c => Condition(c!.AsObject(), payload, point));
            return hits >= (int)minShould["min_count"]!;
        }

        return true;
    }

    private static bool Condition(JsonObject c, JsonNode? payload, Point point)
    {
        if (c.ContainsKey("key"))
        {
            return Field(c, payload);
        }

        if (c["is_empty"] is JsonObject isEmpty)
        {
            return Resolve(payload, (string)isEmpty["key"]!).All(v => v is null || (v is JsonArray a && a.Count == 0));
        }

        if (c["is_null"] is JsonObject isNull)
        {
            return Resolve(payload, (string)isNull["key"]!).Any(v => v is null);
        }

        if (c["has_id"] is JsonArray ids)
        {
            return !point.InNested && ids.Any(i => (ulong)i! == point.Id);
        }

        if (c["has_vector"] is JsonValue vector)
        {
            return !point.InNested && point.Vectors.Contains((string)vector!);
        }

        if (c["slice"] is JsonObject slice)
        {
            // The hash itself is pinned to the SipHash reference vectors in the Core tests.
            return !point.InNested && RoseForest.Core.Filters.SliceCondition.Hash(PointId.FromNumber(point.Id)) % (ulong)slice["total"]! == (ulong)slice["index"]!;
        }

        if (c["nested"] is JsonObject nested)
        {
            var key = (string)nested["key"]!;
            var elements = Resolve(payload, key.EndsWith("[]", StringComparison.Ordinal) ? key : key + "[]").OfType<JsonObject>();
            return elements.Any(e => Filter(nested["filter"]!.AsObject(), e, point with { InNested = true }));
        }

        return Filter(c, payload, point);
    }

    private static bool Field(JsonObject c, JsonNode? payload)
    {
        var values = Resolve(payload, (string)c["key"]!);
        if (c["values_count"] is JsonObject count)
        {
            var counts = values.Count == 0 ? [0] : values.Select(v => v switch { null => 0, JsonArray a => a.Count, _ => 1 });
            return counts.Any(n => InRange(count, n));
        }

        if (c["is_empty"] is JsonValue emptyFlag)
        {
            var flag = (bool)emptyFlag;
            return values.Count == 0 ? flag : values.Any(v => v switch { null => flag, JsonArray a => (a.Count == 0) == flag, _ => !flag });
        }

        if (c["is_null"] is JsonValue nullFlag)
        {
            var flag = (bool)nullFlag;
            return values.Count == 0 ? !flag : values.Any(v => v switch { null => flag, JsonArray a => a.Any(e => e is null) == flag, _ => !flag });
        }

        return values.Any(v => v is JsonArray a ? a.Any(e => One(c, e)) : One(c, v));
    }

    /// <summary>The clauses of a field condition on one value, OR-ed.</summary>
    private static bool One(JsonObject c, JsonNode? v) =>
        (c["match"] is JsonObject m && Match(m, v)) ||
        (c["range"] is JsonObject r && Range(r, v)) ||
        (c["geo_radius"] is JsonObject gr && Geo(v, out var p1) && Haversine((double)gr["center"]!["lon"]!, (double)gr["center"]!["lat"]!, p1.Lon, p1.Lat) < (double)gr["radius"]!) ||
        (c["geo_bounding_box"] is JsonObject box && Geo(v, out var p2) && InBox(box, p2)) ||
        (c["geo_polygon"] is JsonObject poly && Geo(v, out var p3) && InPolygon(poly, p3));

    private static bool Match(JsonObject m, JsonNode? v)
    {
        if (m["value"] is JsonValue value)
        {
            return value.GetValueKind() switch
            {
                JsonValueKind.String => IsString(v, out var s) && s == (string)value!,
                JsonValueKind.Number => IsInteger(v, out var n) && n == (long)value,
                _ => v is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False && (bool)b == (bool)value,
            };
        }

        if (m["any"] is JsonArray any)
        {
            return any.Any(x => x!.GetValueKind() == JsonValueKind.String
                ? IsString(v, out var s) && s == (string)x!
                : IsInteger(v, out var n) && n == (long)x!);
        }

        if (m["except"] is JsonArray except)
        {
            var integers = except.Count > 0 && except[0]!.GetValueKind() == JsonValueKind.Number;
            if (v is null)
            {
                return false;
            }

            if (!integers && IsString(v, out var s))
            {
                return !except.Any(x => (string)x! == s);
            }

            if (integers && IsInteger(v, out var n))
            {
                return !except.Any(x => (long)x! == n);
            }

            return true; // a value of another type is never in the list
        }

        if (!IsString(v, out var text))
        {
            return false;
        }

        if (m["prefix"] is JsonValue prefix)
        {
            return text.StartsWith((string)prefix!, StringComparison.Ordinal);
        }

        var doc = Tokens(text);
        if (m["text"] is JsonValue all)
        {
            var query = Tokens((string)all!);
            return query.Count > 0 && query.All(doc.Contains);
        }

        if (m["text_any"] is JsonValue anyText)
        {
            return Tokens((string)anyText!).Any(doc.Contains);
        }

        var phrase = Tokens((string)m["phrase"]!);
        if (phrase.Count == 0)
        {
            return false;
        }

        for (var i = 0; i + phrase.Count <= doc.Count; i++)
        {
            if (doc.Skip(i).Take(phrase.Count).SequenceEqual(phrase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Qdrant's default tokenizer for the generator's words: runs of letters and digits, lowercased.</summary>
    private static List<string> Tokens(string text) => [.. WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    private static bool Range(JsonObject r, JsonNode? v)
    {
        var datetime = r.Any(b => b.Value?.GetValueKind() == JsonValueKind.String);
        if (!datetime)
        {
            return v is JsonValue n && n.GetValueKind() == JsonValueKind.Number && InRange(r, double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture));
        }

        if (!IsString(v, out var s) || !TryParseDatetime(s, out var t))
        {
            return false;
        }

        return Bound(r, "gt", b => t > b) && Bound(r, "gte", b => t >= b) && Bound(r, "lt", b => t < b) && Bound(r, "lte", b => t <= b);

        static bool Bound(JsonObject r, string name, Func<DateTimeOffset, bool> test) =>
            r[name] is not JsonValue b || test(ParseDatetime((string)b!));
    }

    private static readonly string[] DatetimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm",
    ];

    private static bool TryParseDatetime(string s, out DateTimeOffset t) =>
        DateTimeOffset.TryParseExact(s, DatetimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out t);

    private static DateTimeOffset ParseDatetime(string s) =>
        TryParseDatetime(s, out var t) ? t : throw new FormatException(s);

    private static bool InRange(JsonObject r, double x) =>
        (r["gt"] is not JsonValue gt || x > (double)gt) &&
        (r["gte"] is not JsonValue gte || x >= (double)gte) &&
        (r["lt"] is not JsonValue lt || x < (double)lt) &&
        (r["lte"] is not JsonValue lte || x <= (double)lte);

    private static bool Geo(JsonNode? v, out (double Lon, double Lat) p)
    {
        p = default;
        if (v is not JsonObject o || o["lon"] is not JsonValue lon || o["lat"] is not JsonValue lat ||
            lon.GetValueKind() != JsonValueKind.Number || lat.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        p = ((double)lon, (double)lat);
        return true;
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double R = 6_371_008.8;
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2));
        return 2 * R * Math.Asin(Math.Sqrt(a));
    }

    private static bool InBox(JsonObject box, (double Lon, double Lat) p)
    {
        double left = (double)box["top_left"]!["lon"]!, top = (double)box["top_left"]!["lat"]!;
        double right = (double)box["bottom_right"]!["lon"]!, bottom = (double)box["bottom_right"]!["lat"]!;
        var lonOk = left > right ? p.Lon > left || p.Lon < right : p.Lon > left && p.Lon < right;
        return lonOk && p.Lat < top && p.Lat > bottom;
    }

    /// <summary>Even-odd ray casting with an explicit on-edge test (exact for the generator's grid coordinates).</summary>
    private static bool InPolygon(JsonObject poly, (double Lon, double Lat) p)
    {
        if (RingPosition(poly["exterior"]!, p) != 1)
        {
            return false;
        }

        return poly["interiors"] is not JsonArray holes || holes.All(h => RingPosition(h!, p) == -1);
    }

    /// <summary>1 inside, 0 on the ring, -1 outside.</summary>
    private static int RingPosition(JsonNode ring, (double X, double Y) p)
    {
        var pts = ring["points"]!.AsArray().Select(q => ((double)q!["lon"]!, (double)q!["lat"]!)).ToArray();
        var inside = false;
        for (int i = 0, j = pts.Length - 1; i < pts.Length; j = i++)
        {
            var (xi, yi) = pts[i];
            var (xj, yj) = pts[j];
            var cross = ((xj - xi) * (p.Y - yi)) - ((yj - yi) * (p.X - xi));
            if (cross == 0 && p.X >= Math.Min(xi, xj) && p.X <= Math.Max(xi, xj) && p.Y >= Math.Min(yi, yj) && p.Y <= Math.Max(yi, yj))
            {
                return 0;
            }

            if ((yi > p.Y) != (yj > p.Y) && p.X < ((xj - xi) * (p.Y - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside ? 1 : -1;
    }

    private static bool IsString(JsonNode? v, out string s)
    {
        s = "";
        if (v is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            s = (string)value!;
            return true;
        }

        return false;
    }

    /// <summary>An integer as Qdrant reads one: a JSON number written without fraction or exponent.</summary>
    private static bool IsInteger(JsonNode? v, out long n)
    {
        n = 0;
        return v is JsonValue value && value.GetValueKind() == JsonValueKind.Number &&
            long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n);
    }

    /// <summary>The values a path reaches: keys into objects, [] over array elements, [n] one element.</summary>
    private static List<JsonNode?> Resolve(JsonNode? root, string path)
    {
        var current = new List<JsonNode?>();
        if (root is null)
        {
            return current;
        }

        current.Add(root);
        foreach (var step in Steps(path))
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (step == "[]")
                {
                    if (node is JsonArray a)
                    {
                        next.AddRange(a);
                    }
                }
                else if (step.StartsWith('['))
                {
                    var index = int.Parse(step[1..^1], CultureInfo.InvariantCulture);
                    if (node is JsonArray a && index < a.Count)
                    {
                        next.Add(a[index]);
                    }
                }
                else if (node is JsonObject o && o.TryGetPropertyValue(step, out var child))
                {
                    next.Add(child);
                }
            }

            current = next;
        }

        return current;
    }

    private static IEnumerable<string> Steps(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                yield return path[i..(end + 1)];
                i = end + 1;
            }
            else if (path[i] == '"')
            {
                var end = path.IndexOf('"', i + 1);
                yield return path[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = path.IndexOfAny(['.', '['], i);
                end = end < 0 ? path.Length : end;
                yield return path[i..end];
                i = end;
            }
        }
    }
}
