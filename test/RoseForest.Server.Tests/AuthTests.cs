using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using RoseForest.Host;

namespace RoseForest.Server.Tests;

/// <summary>
/// With API keys set, walks every route the server maps and proves none is open by mistake:
/// without a key only the health probes answer; a read-only key can read but every write gets
/// 403; the full key passes everywhere.
/// </summary>
public class AuthTests
{
    private const string Key = "s3cret-full-key";
    private const string ReadOnlyKey = "s3cret-read-key";

    /// <summary>The health probes, and the dashboard's static files (no data: its pages call the API with the user's key).</summary>
    private static readonly HashSet<string> Open = ["/", "/healthz", "/livez", "/readyz", "/health", "/dashboard/{**path}"];

    /// <summary>Every (method, concrete path) the server maps, with route parameters filled in.</summary>
    private static List<(string Method, string Path, string Pattern)> Routes(RoseForestServer server)
    {
        var routes = new List<(string, string, string)>();
        foreach (var endpoint in server.Routes)
        {
            var pattern = endpoint.RoutePattern.RawText!;
            if (pattern.StartsWith("/qdrant.", StringComparison.Ordinal) || pattern.StartsWith("/grpc.", StringComparison.Ordinal))
            {
                continue; // gRPC methods (HTTP/2 only) check keys in their own interceptor; RoseForest.Grpc.Tests covers them.
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var path = pattern
                .Replace("{name}", "guarded", StringComparison.Ordinal)
                .Replace("{id}", "1", StringComparison.Ordinal)
                .Replace("{snapshot}", "x.snapshot", StringComparison.Ordinal);
            foreach (var method in methods)
            {
                routes.Add((method, path, pattern));
            }
        }

        return routes;
    }

    /// <summary>Qdrant's read-only POST routes (its read-only key may call them): every search form, counts, facets.</summary>
    private static readonly string[] ReadOnlyPosts =
    [
        "/points/scroll", "/points/count", "/points/query", "/points/query/batch", "/points/query/groups",
        "/points/search", "/points/search/batch", "/points/search/groups", "/points/recommend", "/points/recommend/batch",
        "/points/recommend/groups", "/points/discover", "/points/discover/batch", "/points/search/matrix/pairs",
        "/points/search/matrix/offsets", "/facet",
    ];

    [Fact]
    public async Task Every_route_but_the_probes_needs_a_key_and_writes_need_the_full_key()
    {
        await using var f = await ServerFixture.StartAsync(o =>
        {
            o.ApiKey = Key;
            o.ReadOnlyApiKey = ReadOnlyKey;
        });
        Assert.Equal(200, (await f.SendAsync(HttpMethod.Put, "/collections/guarded", """{"vectors":{"size":2,"distance":"Euclid"}}""", Key)).Status);

        var routes = Routes(f.Server);
        Assert.True(routes.Count >= 25, $"expected every route, found {routes.Count}");
        var writes = 0;
        foreach (var (method, path, pattern) in routes)
        {
            var (anonymous, _) = await f.SendAsync(new HttpMethod(method), path, "{}");
            var (wrongKey, _) = await f.SendAsync(new HttpMethod(method), path, "{}", "not-the-key");
            if (Open.Contains(pattern))
            {
                Assert.NotEqual(401, anonymous);
                continue;
            }

            Assert.True(anonymous == 401, $"{method} {pattern} answered {anonymous} without a key");
            Assert.True(wrongKey == 401, $"{method} {pattern} answered {wrongKey} with a wrong key");

            var (readOnly, _) = await f.SendAsync(new HttpMethod(method), path, "{}", ReadOnlyKey);
            var isRead = method == "GET" || pattern.EndsWith("/points", StringComparison.Ordinal) && method == "POST"
                || ReadOnlyPosts.Any(r => pattern.EndsWith(r, StringComparison.Ordinal));
            if (isRead)
            {
                Assert.True(readOnly is not 401 and not 403, $"{method} {pattern} refused the read-only key with {readOnly}");
            }
            else
            {
                writes++;
                Assert.True(readOnly == 403, $"{method} {pattern} answered {readOnly} to the read-only key; writes must be 403");
            }

            var (full, _) = await f.SendAsync(new HttpMethod(method), path, "{}", Key);
            Assert.True(full is not 401 and not 403, $"{method} {pattern} refused the full key with {full}");
        }

        Assert.True(writes >= 10, $"expected the write routes to be walked, saw {writes}");
    }

    [Fact]
    public async Task A_bearer_token_works_like_the_api_key_header()
    {
        await using var f = await ServerFixture.StartAsync(o => o.ApiKey = Key);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        Assert.Equal(200, (int)(await f.Client.SendAsync(request)).StatusCode);
        using var bad = new HttpRequestMessage(HttpMethod.Get, "/collections");
        bad.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key + "x");
        Assert.Equal(401, (int)(await f.Client.SendAsync(bad)).StatusCode);
    }
}
