using System.Globalization;
using System.Text.Json.Nodes;

namespace RoseForest.Contracts.Tests.Filters;

/// <summary>
/// Random filters and payloads for the round-trip and reference tests. Filters come out as JSON
/// with properties in the order QdrantFilter writes them, so a parsed-and-written filter can be
/// compared with the generated one. Payload keys are few and typed loosely on purpose, so that
/// conditions often meet values of the wrong type, missing fields, nulls and arrays.
/// </summary>
internal sealed class FilterGenerator(Random rng)
{
    private static readonly string[] Keywords = ["red", "green", "blue"];
    private static readonly string[] Words = ["good", "cheap", "Hardware", "goodness", "мир", "Привет", "café", "x1", "alpha", "beta"];
    private static readonly string[] Separators = [" ", ", ", "_", "-", "! ", "  "];
    private static readonly string[] VectorNames = ["", "img", "txt"];

    public Random Random => rng;

    // ---------------------------------------------------------------- filters

    public JsonObject Filter(int depth, bool nested = false)
    {
        var f = new JsonObject();
        if (rng.Next(3) > 0)
        {
            f["must"] = Conditions(depth, nested, 1 + rng.Next(3));
        }

        if (rng.Next(3) == 0)
        {
            f["should"] = Conditions(depth, nested, rng.Next(3));
        }

        if (rng.Next(3) == 0)
        {
            f["must_not"] = Conditions(depth, nested, 1 + rng.Next(2));
        }

        if (rng.Next(6) == 0)
        {
            var conditions = Conditions(depth, nested, 1 + rng.Next(3));
            f["min_should"] = new JsonObject { ["conditions"] = conditions, ["min_count"] = 1 + rng.Next(conditions.Count) };
        }

        return f;
    }

    private JsonArray Conditions(int depth, bool nested, int count)
    {
        var list = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            list.Add(Condition(depth, nested));
        }

        return list;
    }

    public JsonObject Condition(int depth, bool nested)
    {
        var roll = rng.Next(depth > 0 ? 20 : 17);
        return roll switch
        {
            < 10 => Field(nested),
            10 => new JsonObject { ["is_empty"] = new JsonObject { ["key"] = Key(nested) } },
            11 => new JsonObject { ["is_null"] = new JsonObject { ["key"] = Key(nested) } },
            12 => HasId(),
            13 => new JsonObject { ["has_vector"] = Pick(VectorNames) },
            14 => Slice(),
            15 or 16 => Field(nested),
            17 or 18 => NestedCondition(depth - 1, nested),
            _ => Filter(depth - 1, nested),
        };
    }

    private JsonObject HasId()
    {
        var ids = Enumerable.Range(0, 10).Where(_ => rng.Next(3) == 0).Select(i => (JsonNode?)JsonValue.Create((ulong)i)).ToArray();
        return new JsonObject { ["has_id"] = new JsonArray(ids) };
    }

    private JsonObject Slice()
    {
        var total = 1 + rng.Next(4);
        return new JsonObject { ["slice"] = new JsonObject { ["total"] = total, ["index"] = rng.Next(total) } };
    }

    private JsonObject NestedCondition(int depth, bool nested)
    {
        var key = nested ? "m" : Pick(["n", "n[]", "o.n"]);
        return new JsonObject { ["nested"] = new JsonObject { ["key"] = key, ["filter"] = Filter(depth, nested: true) } };
    }

    private string Key(bool nested) => nested
        ? Pick(["x", "y", "t", "m", "z"])
        : Pick(["a", "b", "c", "t", "d", "g", "n", "f", "e", "o.p", "n[].x", "n[0].x", "n[].t", "\"q k\"", "zz"]);

    /// <summary>A field condition: usually one clause, sometimes two (they are OR-ed).</summary>
    private JsonObject Field(bool nested)
    {
        var key = Key(nested);
        var clauses = new SortedDictionary<int, (string Name, JsonNode Value)>();
        var count = rng.Next(6) == 0 ? 2 : 1;
        while (clauses.Count < count)
        {
            var kind = rng.Next(9) % 8; // match is drawn twice as often
            clauses[kind] = kind switch
            {
                0 => ("match", Match()),
                1 => ("range", rng.Next(2) == 0 ? NumericRange() : DatetimeRange()),
                2 => ("geo_radius", new JsonObject { ["center"] = GeoPoint(), ["radius"] = rng.Next(1, 8) * 50_000.0 }),
                3 => ("geo_bounding_box", BoundingBox()),
                4 => ("geo_polygon", Polygon()),
                5 => ("values_count", CountRange()),
                6 => ("is_empty", JsonValue.Create(rng.Next(2) == 0)),
                _ => ("is_null", JsonValue.Create(rng.Next(2) == 0)),
            };
        }

        var o = new JsonObject { ["key"] = key };
        foreach (var (name, value) in clauses.Values)
        {
            o[name] = value;
        }

        return o;
    }

    private JsonObject Match() => rng.Next(10) switch
    {
        0 => new JsonObject { ["value"] = Pick(Keywords) },
        1 => new JsonObject { ["value"] = rng.Next(-3, 4) },
        2 => new JsonObject { ["value"] = rng.Next(2) == 0 },
        3 => new JsonObject { ["any"] = rng.Next(2) == 0 ? Array(Keywords.Where(_ => rng.Next(2) == 0).Select(k => (JsonNode)k)) : Array(Distinct(-3, 4).Select(i => (JsonNode)i)) },
        4 => new JsonObject { ["except"] = rng.Next(2) == 0 ? Array(Keywords.Where(_ => rng.Next(2) == 0).Select(k => (JsonNode)k)) : Array(Distinct(-3, 4).Select(i => (JsonNode)i)) },
        5 => new JsonObject { ["text"] = Text(1 + rng.Next(2)) },
        6 => new JsonObject { ["phrase"] = Text(1 + rng.Next(3)) },
        7 => new JsonObject { ["text_any"] = Text(rng.Next(3)) },
        8 => new JsonObject { ["prefix"] = Pick(["r", "gr", "", "bl", "Good", "go"]) },
        _ => new JsonObject { ["value"] = Pick(Keywords) },
    };

    private IEnumerable<int> Distinct(int from, int to) => Enumerable.Range(from, to - from).Where(_ => rng.Next(3) == 0);

    private static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items]);

    private JsonObject NumericRange()
    {
        var o = new JsonObject();
        foreach (var bound in new[] { "gt", "gte", "lt", "lte" })
        {
            if (rng.Next(3) == 0)
            {
                o[bound] = rng.Next(-16, 17) / 4.0;
            }
        }

        return o;
    }

    private JsonObject CountRange()
    {
        var o = new JsonObject();
        foreach (var bound in new[] { "gt", "gte", "lt", "lte" })
        {
            if (rng.Next(3) == 0)
            {
                o[bound] = rng.Next(0, 4);
            }
        }

        return o;
    }

    private JsonObject DatetimeRange()
    {
        var o = new JsonObject();
        foreach (var bound in new[] { "gt", "gte", "lt", "lte" })
        {
            if (rng.Next(2) == 0 || (bound == "lte" && o.Count == 0))
            {
                o[bound] = CanonicalDatetime(Instant());
            }
        }

        return o;
    }

    /// <summary>An instant in 2020 on a coarse grid, so payload values often equal a bound.</summary>
    public DateTimeOffset Instant() =>
        new DateTimeOffset(2020, 1 + rng.Next(3), 1 + rng.Next(3), rng.Next(3), 0, 0, TimeSpan.Zero).AddMilliseconds(rng.Next(3) * 500);

    /// <summary>RFC 3339 in UTC with the fraction trimmed, as the writer writes datetimes.</summary>
    private static string CanonicalDatetime(DateTimeOffset t)
    {
        var text = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = t.UtcDateTime.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    public JsonObject GeoPoint() => new() { ["lon"] = rng.Next(-8, 9) / 2.0, ["lat"] = rng.Next(-8, 9) / 2.0 };

    private JsonObject BoundingBox()
    {
        double left = rng.Next(-8, 9) / 2.0, right = rng.Next(-8, 9) / 2.0;
        double top = rng.Next(0, 9) / 2.0, bottom = rng.Next(-8, 1) / 2.0;
        if (rng.Next(6) == 0)
        {
            (left, right) = (170, -170); // across the antimeridian
        }

        return new JsonObject
        {
            ["top_left"] = new JsonObject { ["lon"] = left, ["lat"] = top },
            ["bottom_right"] = new JsonObject { ["lon"] = right, ["lat"] = bottom },
        };
    }

    /// <summary>A rectangle or a triangle on a half-degree grid, sometimes with a rectangular hole.</summary>
    private JsonObject Polygon()
    {
        double x0 = rng.Next(-8, 0) / 2.0, x1 = rng.Next(1, 9) / 2.0, y0 = rng.Next(-8, 0) / 2.0, y1 = rng.Next(1, 9) / 2.0;
        var exterior = rng.Next(2) == 0
            ? Ring((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))
            : Ring((x0, y0), (x1, y0), (x0, y1), (x0, y0));
        var o = new JsonObject { ["exterior"] = exterior };
        if (rng.Next(3) == 0)
        {
            double hx0 = x0 / 2, hx1 = x1 / 2, hy0 = y0 / 2, hy1 = y1 / 2;
            o["interiors"] = new JsonArray(Ring((hx0, hy0), (hx0, hy1), (hx1, hy1), (hx1, hy0), (hx0, hy0)));
        }

        return o;
    }

    private static JsonObject Ring(params (double Lon, double Lat)[] points) =>
        new() { ["points"] = new JsonArray([.. points.Select(p => (JsonNode)new JsonObject { ["lon"] = p.Lon, ["lat"] = p.Lat })]) };

    public string Text(int words) =>
        string.Concat(Enumerable.Range(0, words).Select(i => (i > 0 ? Pick(Separators) : "") + Pick(Words)));

    // ---------------------------------------------------------------- payloads

    public JsonObject Payload()
    {
        var p = new JsonObject();
        foreach (var key in new[] { "a", "b", "c", "t", "d", "g", "n", "f", "e", "o", "q k" })
        {
            if (rng.Next(4) > 0)
            {
                p[key] = Value(key, 0);
            }
        }

        return p;
    }

    private JsonNode? Value(string key, int depth) => key switch
    {
        "a" => Pick<Func<JsonNode?>>([() => rng.Next(-3, 4), () => Array(Distinct(-3, 4).Select(i => (JsonNode)i)), () => 1.5, () => "1", () => null, () => JsonNode.Parse("1.0")])(),
        "b" => Pick<Func<JsonNode?>>([() => rng.Next(-16, 17) / 4.0, () => rng.Next(-4, 5), () => "2", () => new JsonArray(rng.Next(-4, 5), rng.Next(-16, 17) / 4.0)])(),
        "c" or "y" => Pick<Func<JsonNode?>>([() => Pick(Keywords), () => Array(Keywords.Where(_ => rng.Next(2) == 0).Select(k => (JsonNode)k)), () => rng.Next(3), () => true, () => null, () => new JsonArray(new JsonArray("red"))])(),
        "t" => Pick<Func<JsonNode?>>([() => Text(1 + rng.Next(4)), () => new JsonArray(Text(2), Text(1)), () => 7, () => Pick(["goodbye", "greenish", "Good cheap"])])(),
        "d" => Pick<Func<JsonNode?>>([() => DatetimeText(), () => new JsonArray(DatetimeText(), DatetimeText()), () => 1_580_000_000, () => Pick(["soon", "2020-13-01", "2020-02-30T00:00:00Z"])])(),
        "g" => Pick<Func<JsonNode?>>([() => GeoPoint(), () => new JsonArray(GeoPoint(), GeoPoint()), () => new JsonObject { ["lon"] = "1", ["lat"] = 0 }, () => new JsonArray(1, 2), () => null])(),
        "n" => depth > 1 ? null : Pick<Func<JsonNode?>>([() => Elements(depth), () => Elements(depth), () => new JsonObject { ["x"] = 1 }, () => new JsonArray(), () => null])(),
        "m" => depth > 1 ? null : Elements(depth),
        "x" or "z" or "p" => Pick<Func<JsonNode?>>([() => rng.Next(3), () => new JsonArray(rng.Next(3), rng.Next(3)), () => null])(),
        "f" => Pick<Func<JsonNode?>>([() => rng.Next(2) == 0, () => "true", () => new JsonArray(true, false)])(),
        "e" => Pick<Func<JsonNode?>>([() => null, () => new JsonArray(), () => new JsonArray((JsonNode?)null), () => new JsonObject(), () => 1, () => new JsonArray(1, null)])(),
        "o" => new JsonObject { ["p"] = Value("p", depth), ["n"] = depth > 0 ? null : Elements(depth) },
        _ => Pick<Func<JsonNode?>>([() => rng.Next(3), () => Pick(Keywords)])(),
    };

    private JsonArray Elements(int depth)
    {
        var array = new JsonArray();
        var n = rng.Next(4);
        for (var i = 0; i < n; i++)
        {
            if (rng.Next(8) == 0)
            {
                array.Add(rng.Next(3)); // not an object: skipped by nested
                continue;
            }

            var element = new JsonObject();
            foreach (var key in new[] { "x", "y", "t", "m", "z" })
            {
                if (rng.Next(3) > 0)
                {
                    element[key] = Value(key, depth + 1);
                }
            }

            array.Add(element);
        }

        return array;
    }

    /// <summary>Datetimes in several of the forms Qdrant accepts (all parseable by .NET too).</summary>
    private string DatetimeText()
    {
        var t = Instant();
        var offset = TimeSpan.FromHours(rng.Next(-2, 3));
        var local = t.ToOffset(offset);
        return rng.Next(6) switch
        {
            0 => CanonicalDatetime(t),
            1 => local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            2 => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            3 => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            4 => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            _ => local.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture),
        };
    }

    private T Pick<T>(T[] items) => items[rng.Next(items.Length)];
}
