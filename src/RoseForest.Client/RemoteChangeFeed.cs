using System.Globalization;
using System.Text.RegularExpressions;
using RoseForest.Contracts.Qdrant;

namespace RoseForest.Client;

/// <summary>The change feed of a remote database: a long poll of <c>GET …/changes</c>.</summary>
internal sealed partial class RemoteChangeFeed(RoseForestClient client) : IChangeFeed
{
    public async Task<ChangeBatch> ReadAsync(string collection, long fromLsn, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"{RoseForestClient.Path(collection)}/changes?from_lsn={fromLsn}&limit={maxRecords}&wait_ms={(long)wait.TotalMilliseconds}");
        return QdrantJson.ReadChangeBatch(await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false));
    }

    public async Task RegisterFollowerAsync(string collection, string follower, long nextLsn, CancellationToken cancellationToken = default) =>
        await client.SendAsync(HttpMethod.Put, $"{RoseForestClient.Path(collection)}/changes/followers/{Uri.EscapeDataString(follower)}", w =>
        {
            w.WriteStartObject();
            w.WriteNumber("next_lsn", nextLsn);
            w.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);

    public async Task<bool> RemoveFollowerAsync(string collection, string follower, CancellationToken cancellationToken = default) =>
        (await client.SendAsync(HttpMethod.Delete, $"{RoseForestClient.Path(collection)}/changes/followers/{Uri.EscapeDataString(follower)}", null, cancellationToken).ConfigureAwait(false)).GetBoolean();

    /// <summary>A 410 from the feed, as the engine's <see cref="ChangeFeedGapException"/> (numbers read from its message).</summary>
    internal static Exception Gap(string message)
    {
        var m = GapMessage().Match(message);
        return m.Success
            ? new ChangeFeedGapException(m.Groups["c"].Value, long.Parse(m.Groups["req"].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups["old"].Value, CultureInfo.InvariantCulture))
            : new RemoteException(System.Net.HttpStatusCode.Gone, message);
    }

    [GeneratedRegex("change feed of `(?<c>[^`]*)` starts at LSN (?<old>[0-9]+); LSN (?<req>[0-9]+) was dropped")]
    private static partial Regex GapMessage();
}
