using Microsoft.Extensions.AI;

namespace RoseForest.Memory;

public sealed partial class MemoryStore
{
    /// <summary>How many related memories the chat client is shown.</summary>
    private const int InferContext = 8;

    private async Task<IReadOnlyList<MemoryEvent>> InferAsync(AddMemoryRequest request, CancellationToken ct)
    {
        Validate(request, string.Empty);
        if (_options.ChatClient is not { } chat)
        {
            throw new ValidationException("infer", "no chat client is configured on this server, so facts cannot be extracted; add the text as it is (infer: false), or configure MemoryOptions.ChatClient.");
        }

        if (request.Kind == MemoryKind.Episodic)
        {
            throw new ValidationException("infer", "extracted facts are semantic memories; infer does not apply to episodic ones.");
        }

        var related = await SearchAsync(new SearchMemoryRequest { Query = request.Text, Scope = request.Scope, Limit = InferContext, ScoreThreshold = 0, TrackAccess = false }, ct).ConfigureAwait(false);
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(FactExtraction.Prompt(request.Text, related), cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not RoseForestException)
        {
            throw new MemoryInferenceException(e.Message, e);
        }

        var offered = related.Select(h => h.Memory.Id).ToHashSet();
        var facts = FactExtraction.Parse(response.Text, offered);
        if (facts.Count == 0)
        {
            return [];
        }

        return await AddManyAsync(
            [.. facts.Select(f => new AddMemoryRequest
            {
                Text = f.Text,
                Scope = request.Scope,
                Metadata = request.Metadata,
                Kind = request.Kind,
                Supersedes = f.Supersedes,
                ExpiresAt = request.ExpiresAt,
                Ttl = request.Ttl,
                Actor = request.Actor,
            })],
            ct).ConfigureAwait(false);
    }
}
