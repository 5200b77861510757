namespace RoseForest.Communication.Mailboxes;

internal sealed partial class MailboxService
{
    /// <summary>The messages of <paramref name="to"/> (in namespace <paramref name="ns"/>) nearest to a vector, acked ones excluded.</summary>
    public async Task<IReadOnlyList<(MailMessage Message, double Score)>> SearchAsync(string to, string ns, float[] vector, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            throw new ValidationException("limit", "must be between 1 and 1000.");
        }

        var collection = await CollectionAsync(ns, ct).ConfigureAwait(false);
        var hits = await collection.SearchAsync(new SearchRequest { Vector = vector, Using = VectorName, Limit = limit, Filter = RoseForest.Contracts.Qdrant.QdrantFilter.Read(Filter(to)), WithPayload = PayloadSelector.All }, ct).ConfigureAwait(false);
        var box = Box(to);
        var result = new List<(MailMessage, double)>();
        foreach (var hit in hits)
        {
            var id = Guid.Parse(hit.Id.ToString());
            MailEntry? entry;
            lock (box.Gate)
            {
                entry = box.ById.GetValueOrDefault(id);
            }

            if (entry is null || entry.State is not MailState.Ready || hit.Payload is not { } p)
            {
                continue;
            }

            result.Add((new MailMessage(id, entry.From, to, entry.Sequence, ReadTime(p, "sent_at"), entry.ExpiresAt, entry.Deliveries,
                p.TryGetProperty("body", out var body) && body.ValueKind != System.Text.Json.JsonValueKind.Null ? body.Clone() : null,
                Optional(p, "text"), Optional(p, "idempotency_key"), Optional(p, "broadcast_id")), hit.Score));
        }

        return result;
    }
}
