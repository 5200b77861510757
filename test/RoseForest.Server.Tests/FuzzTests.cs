using System.Text;
using System.Text.Json;
using RoseForest.Core.Payloads;
using Xunit.Abstractions;

namespace RoseForest.Server.Tests;

/// <summary>
/// Thousands of random and mutated bodies to every write route. The server must stay up and
/// never answer 5xx, and afterwards the collection must hold exactly what the accepted requests
/// wrote: each accepted body is applied to a dictionary model by a small reference reading of
/// the request (payload merging reuses the core's tested payload helpers).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Dim = 3;
    private static readonly string[] Tokens = ["\"", "{", "}", "[", "]", ",", ":", "null", "-1", "1e309", "\"x\"", "true", "NaN", "\\u0000", "1.5", "18446744073709551616", "\"5c56c793-69f3-4fbf-87e6-c4bf54c28c26\"", "{\"a\":{\"b\":[]}}"];

    [Fact]
    public async Task Random_and_mutated_writes_never_5xx_and_the_content_matches_the_accepted_ones()
    {
        const int seed = 777;
        var rng = new Random(seed);
        await using var f = await ServerFixture.StartAsync();
        Assert.Equal(200, (await f.PutAsync("/collections/fz", """{"vectors":{"size":3,"distance":"Euclid"},"durability":"buffered"}""")).Status);
        var model = new Dictionary<PointId, (float[] Vector, JsonElement? Payload)>();
        int accepted = 0, rejected = 0;
        for (var i = 0; i < 3000; i++)
        {
            var (method, route, body) = ValidRequest(rng, model);
            var mutated = rng.Next(3) switch
            {
                0 => Encoding.UTF8.GetBytes(body),
                1 => Mutate(rng, body),
                _ => rng.Next(10) == 0 ? RandomBytes(rng) : Mutate(rng, Mutate(rng, body) is var m ? Encoding.UTF8.GetString(m) : body),
            };

            using var request = new HttpRequestMessage(new HttpMethod(method), $"/collections/fz/{route}?wait=true") { Content = new ByteArrayContent(mutated) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await f.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"seed {seed}, request {i}: {method} {route} answered {status}: {await response.Content.ReadAsStringAsync()}\nbody: {Encoding.UTF8.GetString(mutated)}");
            if (status == 200)
            {
                accepted++;
                Apply(model, route, method, JsonElement.Parse(mutated));
            }
            else
            {
                rejected++;
                Assert.True(status is 400 or 404 or 413 or 415, $"seed {seed}, request {i}: unexpected {status}");
            }
        }

        output.WriteLine($"accepted {accepted}, rejected {rejected}");
        Assert.True(accepted > 500 && rejected > 500, $"the mix should exercise both paths: accepted {accepted}, rejected {rejected}");
        Assert.Equal("healthz check passed", await f.Client.GetStringAsync("/healthz"));

        // The stored content is what the accepted requests wrote, point for point.
        var stored = new Dictionary<PointId, (float[], string)>();
        var (_, scroll) = await f.PostAsync("/collections/fz/points/scroll", """{"limit":10000,"with_vector":true}""");
        foreach (var p in scroll.GetProperty("result").GetProperty("points").EnumerateArray())
        {
            stored[PointId.FromJson(p.GetProperty("id"))] = ([.. p.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle())], p.GetProperty("payload").GetRawText());
        }

        Assert.Equal(model.Keys.Order(), stored.Keys.Order());
        foreach (var (id, (vector, payload)) in model)
        {
            Assert.Equal(vector, stored[id].Item1);
            Assert.True(JsonElement.DeepEquals(payload ?? JsonElement.Parse("{}"), JsonElement.Parse(stored[id].Item2)), $"payload of {id}: model {payload?.GetRawText()} stored {stored[id].Item2}");
        }
    }

    private static (string Method, string Route, string Body) ValidRequest(Random rng, Dictionary<PointId, (float[], JsonElement?)> model)
    {
        var ids = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => RandomId(rng, model)).ToArray();
        var idList = string.Join(",", ids.Select(Json));
        switch (rng.Next(7))
        {
            case 0:
            case 1:
                var points = string.Join(",", ids.Select(id => "{\"id\":" + Json(id) + ",\"vector\":[" + Vec(rng) + "]" + (rng.Next(2) == 0 ? string.Empty : ",\"payload\":" + RandomPayload(rng)) + "}"));
                return ("PUT", "points", $$"""{"points":[{{points}}]}""");
            case 2:
                var vectors = string.Join(",", ids.Select(_ => $"[{Vec(rng)}]"));
                var payloads = string.Join(",", ids.Select(_ => rng.Next(2) == 0 ? "null" : RandomPayload(rng)));
                return ("PUT", "points", "{\"batch\":{\"ids\":[" + idList + "],\"vectors\":[" + vectors + "],\"payloads\":[" + payloads + "]}}");
            case 3:
                return ("POST", "points/delete", $$"""{"points":[{{idList}}]}""");
            case 4:
                return (rng.Next(2) == 0 ? "POST" : "PUT", "points/payload", $$"""{"payload":{{RandomPayload(rng)}},"points":[{{idList}}]}""");
            case 5:
                return ("POST", "points/payload/delete", $$"""{"keys":["a","n.x"],"points":[{{idList}}]}""");
            default:
                return ("POST", "points/payload/clear", $$"""{"points":[{{idList}}]}""");
        }
    }

    /// <summary>The reference reading of an accepted request.</summary>
    private static void Apply(Dictionary<PointId, (float[] Vector, JsonElement? Payload)> model, string route, string method, JsonElement body)
    {
        List<PointId> Ids(JsonElement e) => [.. e.EnumerateArray().Select(x => PointId.FromJson(x))];
        switch (route)
        {
            case "points" when body.TryGetProperty("points", out var points):
                foreach (var p in points.EnumerateArray())
                {
                    model[PointId.FromJson(p.GetProperty("id"))] = (Vector(p.GetProperty("vector")), p.TryGetProperty("payload", out var pl) && pl.ValueKind == JsonValueKind.Object ? pl.Clone() : null);
                }

                break;
            case "points":
                var batch = body.GetProperty("batch");
                var ids = Ids(batch.GetProperty("ids"));
                var vectors = batch.GetProperty("vectors");
                batch.TryGetProperty("payloads", out var payloads);
                for (var i = 0; i < ids.Count; i++)
                {
                    JsonElement? payload = payloads.ValueKind == JsonValueKind.Array && payloads[i].ValueKind == JsonValueKind.Object ? payloads[i].Clone() : null;
                    model[ids[i]] = (Vector(vectors[i]), payload);
                }

                break;
            case "points/delete":
                foreach (var id in Ids(body.GetProperty("points")))
                {
                    model.Remove(id);
                }

                break;
            case "points/payload":
                var patch = body.GetProperty("payload").Clone();
                PayloadPath? key = body.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? PayloadPath.Parse(k.GetString()) : null;
                foreach (var id in Ids(body.GetProperty("points")).Distinct())
                {
                    var (v, current) = model[id];
                    model[id] = (v, method == "PUT" ? patch : Payload.Merge(current, patch, key));
                }

                break;
            case "points/payload/delete":
                var keys = body.GetProperty("keys").EnumerateArray().Select(x => PayloadPath.Parse(x.GetString())).ToArray();
                foreach (var id in Ids(body.GetProperty("points")).Distinct())
                {
                    var (v, current) = model[id];
                    model[id] = (v, current is { } c ? Payload.DeleteKeys(c, keys) : null);
                }

                break;
            case "points/payload/clear":
                foreach (var id in Ids(body.GetProperty("points")).Distinct())
                {
                    model[id] = (model[id].Vector, null);
                }

                break;
        }
    }

    private static float[] Vector(JsonElement e) => [.. e.EnumerateArray().Select(x => (float)x.GetDouble())];

    private static byte[] Mutate(Random rng, string text)
    {
        var s = new StringBuilder(text);
        switch (rng.Next(6))
        {
            case 0 when s.Length > 0:
                s[rng.Next(s.Length)] = (char)rng.Next(32, 127);
                break;
            case 1 when s.Length > 2:
                var at = rng.Next(s.Length - 1);
                s.Remove(at, rng.Next(1, Math.Min(12, s.Length - at)));
                break;
            case 2:
                s.Insert(rng.Next(s.Length + 1), Tokens[rng.Next(Tokens.Length)]);
                break;
            case 3 when s.Length > 0:
                s.Length = rng.Next(s.Length);
                break;
            case 4:
                var digits = Enumerable.Range(0, s.Length).Where(i => char.IsAsciiDigit(s[i])).ToList();
                if (digits.Count > 0)
                {
                    s[digits[rng.Next(digits.Count)]] = (char)('0' + rng.Next(10));
                }

                break;
            default:
                return Encoding.UTF8.GetBytes(rng.Next(2) == 0 ? $"[{text}]" : $"{{\"points\":{text}}}");
        }

        return Encoding.UTF8.GetBytes(s.ToString());
    }

    private static byte[] RandomBytes(Random rng)
    {
        var bytes = new byte[rng.Next(0, 64)];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static PointId RandomId(Random rng, Dictionary<PointId, (float[], JsonElement?)> model) =>
        model.Count > 0 && rng.Next(3) > 0 ? model.Keys.ElementAt(rng.Next(model.Count)) : rng.Next(8) == 0 ? PointId.FromUuid(Guid.NewGuid()) : PointId.FromNumber((ulong)rng.Next(50));

    private static string Json(PointId id) => id.IsUuid ? $"\"{id}\"" : id.ToString();

    private static string Vec(Random rng) => string.Join(",", Enumerable.Range(0, Dim).Select(_ => Math.Round((rng.NextDouble() * 10) - 5, 3).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string RandomPayload(Random rng) => rng.Next(3) switch
    {
        0 => $$"""{"a":{{rng.Next(5)}}}""",
        1 => $$"""{"a":{{rng.Next(5)}},"n":{"x":{{rng.Next(5)}},"y":"t"},"tags":["p","q"]}""",
        _ => $$"""{"k{{rng.Next(3)}}":"v{{rng.Next(9)}}","z":null}""",
    };
}
