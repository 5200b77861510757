using System.Text.Json;
using RoseForest.Federated.SecureAggregation;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Client;

/// <summary>The secure-aggregation routes.</summary>
public sealed partial class FederatedHttpClient
{
    /// <summary>GET /fl/tasks/{id}/secagg?client_id=: the session, its stage and what the stage needs.</summary>
    public async Task<SecureView> GetSecureViewAsync(string taskId, string clientId, CancellationToken cancellationToken = default)
    {
        var v = await SendAsync(HttpMethod.Get, $"fl/tasks/{Escape(taskId)}/secagg?client_id={Escape(clientId)}", null, cancellationToken).ConfigureAwait(false);
        var stage = v.GetProperty("stage").GetString()!;
        if (stage == "none")
        {
            return new SecureView(0, 0, 0, stage, false, false, null, 0, null, null, null);
        }

        var options = new SecAggOptions
        {
            Threshold = v.GetProperty("threshold").GetInt32(),
            VectorLength = v.GetProperty("vector_length").GetInt32(),
            ClipRange = v.GetProperty("clip_range").GetSingle(),
            ScaleBits = v.GetProperty("scale_bits").GetInt32(),
        };
        return new SecureView(
            v.GetProperty("session").GetInt32(),
            v.GetProperty("round").GetInt32(),
            v.GetProperty("attempt").GetInt32(),
            stage,
            v.GetProperty("expected").GetBoolean(),
            v.GetProperty("sent").GetBoolean(),
            options,
            v.GetProperty("max_samples").GetInt32(),
            v.TryGetProperty("roster", out var roster) ? [.. roster.EnumerateArray().Select(k => SecAggWire.ReadKeys(k, "roster"))] : null,
            v.TryGetProperty("shares", out var shares) ? SecAggWire.ReadShares(shares, "shares") : null,
            v.TryGetProperty("request", out var request) ? SecAggWire.ReadUnmaskRequest(request, "request") : null);
    }

    /// <summary>POST /fl/tasks/{id}/secagg/keys.</summary>
    public Task PostKeysAsync(string taskId, int session, AdvertisedKeys keys, CancellationToken cancellationToken = default) =>
        PostSecureAsync(taskId, "keys", session, w => SecAggWire.Write(w, keys), cancellationToken);

    /// <summary>POST /fl/tasks/{id}/secagg/shares.</summary>
    public Task PostSharesAsync(string taskId, int session, ShareKeysMessage message, CancellationToken cancellationToken = default) =>
        PostSecureAsync(taskId, "shares", session, w => SecAggWire.Write(w, message), cancellationToken);

    /// <summary>POST /fl/tasks/{id}/secagg/masked.</summary>
    public Task PostMaskedAsync(string taskId, int session, MaskedInput input, CancellationToken cancellationToken = default) =>
        PostSecureAsync(taskId, "masked", session, w => SecAggWire.Write(w, input), cancellationToken);

    /// <summary>POST /fl/tasks/{id}/secagg/unmask.</summary>
    public Task PostUnmaskAsync(string taskId, int session, UnmaskResponse response, CancellationToken cancellationToken = default) =>
        PostSecureAsync(taskId, "unmask", session, w => SecAggWire.Write(w, response), cancellationToken);

    private async Task PostSecureAsync(string taskId, string step, int session, Action<Utf8JsonWriter> members, CancellationToken cancellationToken)
    {
        using var content = Json(w =>
        {
            w.WriteNumber("session", session);
            members(w);
        });
        await SendAsync(HttpMethod.Post, $"fl/tasks/{Escape(taskId)}/secagg/{step}", content, cancellationToken).ConfigureAwait(false);
    }
}
