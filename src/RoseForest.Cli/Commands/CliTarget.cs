using RoseForest.Client;
using RoseForest.Engine;

namespace RoseForest.Cli.Commands;

/// <summary>
/// What a data verb acts on, always through <see cref="IVectorDatabase"/>: the embedded database
/// in a folder, or a running server through <see cref="RoseForestClient"/>. The verbs format
/// the contract records themselves, so both give the same output.
/// </summary>
internal static class CliTarget
{
    /// <summary>The clock the embedded database runs on (tests set a fake one, to compare outputs with a server's).</summary>
    internal static TimeProvider Time { get; set; } = TimeProvider.System;

    public static async Task<IVectorDatabase> OpenAsync(string? url, string? apiKey, string data, CancellationToken ct)
    {
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                throw new CliException($"--url must be an http(s) URL, got '{url}'.");
            }

            return new RoseForestClient(new RoseForestClientOptions { BaseAddress = address, ApiKey = apiKey });
        }

        return await RoseForestDatabase.OpenAsync(data, new DatabaseOptions { TimeProvider = Time }, ct);
    }
}

/// <summary>A failure the CLI reports as one line.</summary>
internal sealed class CliException(string message) : Exception(message);
