using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RoseForest.Host;

/// <summary>Kestrel listeners on a configured host name or address (REST's and each part's own port).</summary>
internal static class Listeners
{
    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/>: an IP address, <c>localhost</c> (loopback), <c>*</c>/<c>+</c> (every address) or a name resolved once.</summary>
    public static ListenOptions Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        ListenOptions? result = null;
        void Capture(ListenOptions o)
        {
            result = o;
            configure(o);
        }

        switch (host)
        {
            case "*" or "+" or "0.0.0.0":
                kestrel.Listen(IPAddress.Any, port, Capture);
                break;
            case "localhost":
                kestrel.Listen(IPAddress.Loopback, port, Capture);
                break;
            default:
                var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).FirstOrDefault()
                    ?? throw new ArgumentException($"host '{host}' has no address to listen on.");
                kestrel.Listen(address, port, Capture);
                break;
        }

        return result!;
    }
}
